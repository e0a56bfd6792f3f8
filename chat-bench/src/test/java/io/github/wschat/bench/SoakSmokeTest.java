package io.github.wschat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** The soak benchmark runs, at tiny size for two seconds, and ends with every client gone. */
class SoakSmokeTest {

    @ParameterizedTest(name = "{0} clients on {1}")
    @CsvSource({"jdk, java-websocket", "eager, netty"})
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aTwoSecondSoakChurnsChatsAndEndsWithNoMemberLeft(String client, String transport) {
        StringWriter printed = new StringWriter();
        CommandLine command = new CommandLine(new BenchMain());
        command.setOut(new PrintWriter(printed));
        int exit = command.execute("soak", "--clients", "20", "--rooms", "3", "--duration", "2",
                "--report-every", "1", "--lines-per-second", "100", "--churn-per-second", "10",
                "--client", client, "--transport", transport);
        String output = printed.toString();
        assertEquals(0, exit, output);
        assertTrue(output.contains("members left 0, rooms left 0"), output);
        assertTrue(output.lines().anyMatch(line -> line.trim().startsWith("end")), output);
    }
}
