package io.github.wschat.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of the runs that start demo nodes on Redis processes of their own ({@code scale rooms}, {@code scale failover}). */
final class RedisNodesOptions {

    @Option(names = "--transport", defaultValue = "netty", description = "The nodes' transport (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--client-threads", defaultValue = "2", description = "Threads of the generator's clients (default: ${DEFAULT-VALUE}).")
    int clientThreads;

    @Option(names = "--demo-jar", defaultValue = "chat-demo/target/chat-demo.jar", description = "The demo jar (default: ${DEFAULT-VALUE}).")
    Path demoJar;

    @Option(names = "--heap", defaultValue = "256m", description = "Each node's heap (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--redis-server", defaultValue = "/usr/bin/redis-server",
            description = "The redis-server program (apt-get install redis-server) (default: ${DEFAULT-VALUE}).")
    Path redisServer;

    @Option(names = "--redis-cli", defaultValue = "/usr/bin/redis-cli",
            description = "The redis-cli program, to make the cluster (apt-get install redis-tools) (default: ${DEFAULT-VALUE}).")
    Path redisCli;

    /** Starts {@code count} demo nodes on this Redis; the caller closes them. */
    List<ServerUnderTest> startNodes(int count, RedisLayout redis) throws IOException, InterruptedException {
        List<ServerUnderTest> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                nodes.add(ServerUnderTest.node(demoJar, heap, transport, redis.uri(), "wschat/node-" + (i + 1)));
            }
            return nodes;
        } catch (IOException e) {
            stopNodes(nodes);
            throw e;
        }
    }

    static void stopNodes(List<ServerUnderTest> nodes) throws InterruptedException {
        for (ServerUnderTest node : nodes) {
            node.close();
        }
    }
}
