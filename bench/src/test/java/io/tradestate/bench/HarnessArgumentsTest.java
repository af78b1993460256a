package io.tradestate.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Paths;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HarnessArgumentsTest
{
    @Test
    void shouldSplitTheWorkFolderFromTheOptionsInTheirOrder()
    {
        final HarnessArguments parsed = HarnessArguments.parse(
            new String[] { "--rates=1000,2000", "/tmp/a", "--keep", "--agent-heap=-Xms1g -Xmx1g", "/tmp/b" },
            Paths.get("/default"));

        assertEquals(Paths.get("/tmp/b"), parsed.workParent());
        assertEquals(List.of(new HarnessArguments.Option("--rates", "1000,2000"),
            new HarnessArguments.Option("--keep", ""), new HarnessArguments.Option("--agent-heap", "-Xms1g -Xmx1g")),
            parsed.options());
        assertEquals("unknown option --keep", parsed.options().get(1).unknown().getMessage());
    }

    @Test
    void shouldKeepTheDefaultWorkFolderWhenNoneIsGiven()
    {
        assertEquals(Paths.get("/default"), HarnessArguments.parse(new String[] { "--x=1=2" }, Paths.get("/default"))
            .workParent());
        assertEquals("1=2", HarnessArguments.parse(new String[] { "--x=1=2" }, Paths.get("/d")).options().get(0)
            .value());
    }
}
