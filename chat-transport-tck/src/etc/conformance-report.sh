#!/usr/bin/env bash
# Puts together docs/CONFORMANCE.md from the reports the transport kit's Conformance group wrote
# (target/conformance/*.md of each transport module). Run the full set first:
#   ./mvnw -B -Pconformance verify -pl chat-transport-javawebsocket,chat-transport-netty,chat-transport-jakarta -am
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=docs/CONFORMANCE.md
head=$(sed '/^<!-- reports -->$/q' "$out")
{
  printf '%s\n\n' "$head"
  for report in chat-transport-javawebsocket/target/conformance/JavaWebSocket.md \
                chat-transport-netty/target/conformance/Netty.md \
                chat-transport-netty/target/conformance/NettyIoUring.md \
                chat-transport-netty/target/conformance/NettyNio.md \
                chat-transport-jakarta/target/conformance/Jetty.md \
                chat-transport-jakarta/target/conformance/Tomcat.md; do
    cat "$report"
  done
} > "$out.new"
mv "$out.new" "$out"
echo "wrote $out"
