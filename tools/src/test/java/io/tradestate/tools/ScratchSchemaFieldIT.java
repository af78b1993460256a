package io.tradestate.tools;

import io.tradestate.codecs.FillDecoder;
import io.tradestate.codecs.Liquidity;
import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.Side;
import io.tradestate.reader.AgentTestEnvironment;
import io.tradestate.reader.ReaderAgentMain;
import io.tradestate.reader.ReaderConfiguration;
import io.tradestate.reader.ReaderContext;
import io.tradestate.reader.TestDatabase;
import io.tradestate.test.ChildJvm;
import io.tradestate.writer.TradeJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import uk.co.real_logic.sbe.SbeTool;

import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The claim of codecs/README.md's "Adding a field", made on a scratch copy of the schema: a field added to one
 * message by its three edits, and nothing else, reaches the history table, the dump and {@code verify}.
 * <p>
 * The test copies the codecs module's schema and its {@code io.tradestate.codecs.event} sources, and makes the
 * README's edits to the copies: {@code Fill} gains the free-text {@code note} in a schema version 3, one line in
 * {@code JournalMessage}'s {@code FILL}, and one migration adding the column. It generates the scratch codecs with
 * SBE's own tool and compiles them, then runs the real reader agent, {@code tradestate dump} and
 * {@code tradestate verify}, each in a JVM whose class path has the scratch codecs and migration in place of the
 * project's codecs: the agent, the tools and the writer are the project's classes as built, unchanged. A version-3
 * writer's {@code Fill} is the version-2 one with the note's var-data after it and the header's version 3; the test
 * appends one, beside a version-2 one, whose note reads as null.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ScratchSchemaFieldIT
{
    private static final Path CODECS = Path.of("..", "codecs", "src", "main");
    private static final Path MIGRATIONS = Path.of("..", "reader-agent", "src", "main", "resources", "db", "migration");
    private static final String SCHEMA = "io/tradestate/codecs/tradestate-codecs.xml";
    private static final String EVENT_PACKAGE = "io/tradestate/codecs/event";
    private static final String SOURCE_ID = "scratch";
    private static final String NOTE = "stop-loss hit, gap \u00e0 l'ouverture \u2713";
    private static final long EXCHANGE_TIME_MS = 1_767_225_600_000L;
    private static final long RUN_TIMEOUT_MS = 60_000;

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("scratch_schema");

    @Test
    void shouldCarryAFieldAddedByTheSchemaOneMappingAndOneMigrationToTheTableTheDumpAndVerify() throws Exception
    {
        final Path scratch = environment.root().resolve("scratch");
        final String classPath = scratchClassPath(scratch);

        final Path templates = scratch.resolve("templates");
        final long template;
        try (TradeJournal journal = TradeJournal.open(environment.journalContext(SOURCE_ID).journalRoot(templates)))
        {
            template = appendFill(journal, "f-2");
        }
        final long plainFill;
        try (TradeJournal journal = environment.journal(SOURCE_ID))
        {
            plainFill = appendFill(journal, "f-1");
        }
        final Path queue = environment.journalRoot().resolve(SOURCE_ID);
        final long fillWithNote = TestJournals.appendRaw(queue,
            withNote(TestJournals.bytesAt(templates.resolve(SOURCE_ID), template)));

        try (ChildJvm agent = startAgent(classPath))
        {
            environment.awaitCheckpoint(SOURCE_ID, fillWithNote, RUN_TIMEOUT_MS);
            agent.process().destroy();
            assertTrue(agent.awaitExit(RUN_TIMEOUT_MS), agent.logTail());
        }

        assertEquals("2", environment.query("SELECT count(*) FROM fills"));
        assertEquals(NOTE, environment.query("SELECT note FROM fills WHERE queue_index = " + fillWithNote));
        assertNull(environment.query("SELECT note FROM fills WHERE queue_index = " + plainFill));
        assertEquals("0", environment.query("SELECT count(*) FROM dead_letters"));

        final String dump = runTool(classPath, scratch, "dump", queue.toString());
        final String noteLine = dump.lines().filter((line) -> line.contains("\"index\":" + fillWithNote))
            .findFirst().orElseThrow(() -> new AssertionError("no line for the version-3 fill:\n" + dump));
        assertTrue(noteLine.contains("\"note\":\"" + NOTE + "\""), noteLine);
        assertFalse(dump.lines().filter((line) -> line.contains("\"index\":" + plainFill + ","))
            .anyMatch((line) -> line.contains(NOTE)), dump);

        final List<String> verify = new ArrayList<>(List.of("verify", environment.journalRoot().toString()));
        verify.addAll(DatabaseArguments.of(environment.database(), scratch));
        final String clean = runTool(classPath, scratch, verify.toArray(new String[0]));
        assertTrue(clean.contains("differing 0") && clean.contains("verify clean\n"), clean);

        environment.execute("UPDATE fills SET note = 'edited' WHERE queue_index = " + fillWithNote);
        try (ChildJvm tampered = tool(classPath, scratch, verify.toArray(new String[0])))
        {
            assertTrue(tampered.awaitExit(RUN_TIMEOUT_MS), tampered.logTail());
            assertEquals(JournalVerifyTool.EXIT_DIFFERENCES, tampered.exitValue(), tampered.output());
            assertTrue(tampered.output().contains("differing 1"), tampered.output());
        }
    }

    private static long appendFill(final TradeJournal journal, final String fillId)
    {
        return journal.fill()
            .exchangeTimeMs(EXCHANGE_TIME_MS)
            .exchange("binance")
            .symbol("BTC/USDT")
            .fillId(fillId)
            .orderId("o-1")
            .side(Side.SELL)
            .liquidity(Liquidity.TAKER)
            .price(6_512_345, -2)
            .amount(15, -3)
            .commit();
    }

    /**
     * What a version-3 writer appends for the same fill: the header says version 3 and the note follows the block as
     * var-data (a {@code uint16} length, then UTF-8).
     */
    private static byte[] withNote(final byte[] versionTwoFill)
    {
        final byte[] note = NOTE.getBytes(StandardCharsets.UTF_8);
        final ByteBuffer excerpt = ByteBuffer.allocate(versionTwoFill.length + 2 + note.length)
            .order(ByteOrder.LITTLE_ENDIAN);
        excerpt.put(versionTwoFill).putShort((short)note.length).put(note);
        assertEquals(FillDecoder.TEMPLATE_ID, excerpt.getShort(MessageHeaderDecoder.templateIdEncodingOffset()));
        excerpt.putShort(MessageHeaderDecoder.versionEncodingOffset(), (short)3);
        return excerpt.array();
    }

    /**
     * The three edits of codecs/README.md on scratch copies, the scratch codecs generated and compiled, and the class
     * path of this JVM with them in place of the project's codecs.
     */
    private static String scratchClassPath(final Path scratch) throws Exception
    {
        final Path schema = scratch.resolve("tradestate-codecs.xml");
        Files.createDirectories(scratch);
        Files.writeString(schema, editSchema(Files.readString(CODECS.resolve("resources").resolve(SCHEMA))));

        final Path generated = scratch.resolve("generated");
        try (ChildJvm sbe = ChildJvm.builder(SbeTool.class)
            .systemProperty("sbe.output.dir", generated.toString())
            .systemProperty("sbe.target.language", "Java")
            .systemProperty("sbe.validation.stop.on.error", "true")
            .systemProperty("sbe.validation.warnings.fatal", "true")
            .systemProperty("sbe.java.generate.interfaces", "false")
            .systemProperty("sbe.generate.precedence.checks", "true")
            .arguments(schema.toString())
            .log(scratch.resolve("sbe.log"))
            .start())
        {
            assertTrue(sbe.awaitExit(RUN_TIMEOUT_MS), sbe.logTail());
            assertEquals(0, sbe.exitValue(), sbe.output());
        }

        final Path events = scratch.resolve("event-sources").resolve(EVENT_PACKAGE);
        Files.createDirectories(events);
        try (Stream<Path> sources = Files.list(CODECS.resolve("java").resolve(EVENT_PACKAGE)))
        {
            for (final Path source : sources.collect(Collectors.toList()))
            {
                final String text = Files.readString(source);
                final String name = source.getFileName().toString();
                Files.writeString(events.resolve(name), "JournalMessage.java".equals(name) ? editMapping(text) : text);
            }
        }

        final List<String> projectClassPath = withoutCodecs(System.getProperty("java.class.path"));
        final Path classes = scratch.resolve("classes");
        final List<String> compile = new ArrayList<>(List.of(
            "-d", classes.toString(), "-cp", String.join(File.pathSeparator, projectClassPath), "-proc:none",
            "-nowarn", "--release", "17"));
        try (Stream<Path> generatedSources = Files.walk(generated);
            Stream<Path> eventSources = Files.list(events))
        {
            Stream.concat(generatedSources, eventSources).filter((path) -> path.toString().endsWith(".java"))
                .map(Path::toString).forEach(compile::add);
        }
        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertNotNull(compiler, "the tests run on a JDK");
        assertEquals(0, compiler.run(null, null, null, compile.toArray(new String[0])), "the scratch codecs compile");

        final Path migrations = scratch.resolve("migrations");
        final Path migration = migrations.resolve("db").resolve("migration")
            .resolve("V" + (lastMigration() + 1) + "__fill_note.sql");
        Files.createDirectories(migration.getParent());
        Files.writeString(migration, "ALTER TABLE fills ADD COLUMN note text;\n");

        final List<String> classPath = new ArrayList<>(List.of(classes.toString(), migrations.toString()));
        classPath.addAll(projectClassPath);
        return String.join(File.pathSeparator, classPath);
    }

    private static String editSchema(final String schema)
    {
        final String version = "version=\"2\"";
        assertTrue(schema.contains(version), "the schema is at version 2: the test's edit is written for it");
        final int fill = schema.indexOf("<sbe:message name=\"Fill\"");
        final int end = schema.indexOf("</sbe:message>", fill);
        assertTrue(fill > 0 && end > fill, "the schema has a Fill message");
        return schema.substring(0, fill).replaceFirst(version, "version=\"3\"") +
            schema.substring(fill, end) +
            "    <data name=\"note\" id=\"16\" type=\"varUtf8Encoding\" sinceVersion=\"3\"/>\n    " +
            schema.substring(end);
    }

    private static String editMapping(final String journalMessage)
    {
        final String lastFillField = "FillDecoder.reconcileTimeMsEncodingOffset(), OPTIONAL)\n            .since(2)),";
        assertEquals(1, journalMessage.split(Pattern.quote(lastFillField), -1).length - 1,
            "JournalMessage's FILL ends with reconcileTimeMs: the test's edit is written for it");
        return journalMessage.replace(lastFillField, lastFillField.substring(0, lastFillField.length() - 2) +
            ",\n        JournalField.utf8(\"note\").since(3)),");
    }

    private static int lastMigration() throws IOException
    {
        final Pattern versioned = Pattern.compile("V(\\d+)__.*\\.sql");
        int last = 0;
        try (Stream<Path> scripts = Files.list(MIGRATIONS))
        {
            for (final Path script : scripts.collect(Collectors.toList()))
            {
                final Matcher matcher = versioned.matcher(script.getFileName().toString());
                if (matcher.matches())
                {
                    last = Math.max(last, Integer.parseInt(matcher.group(1)));
                }
            }
        }
        assertTrue(last > 0, "migrations under " + MIGRATIONS);
        return last;
    }

    /**
     * The class path without the project's codecs: its jar, or its classes folder in a reactor build.
     */
    private static List<String> withoutCodecs(final String classPath)
    {
        final List<String> kept = new ArrayList<>();
        int removed = 0;
        for (final String entry : classPath.split(File.pathSeparator))
        {
            final Path path = Path.of(entry);
            final String name = path.getFileName().toString();
            if (name.matches("tradestate-codecs-.*\\.jar") ||
                (path.endsWith(Path.of("target", "classes")) && path.getParent().getParent().endsWith("codecs")))
            {
                removed++;
            }
            else
            {
                kept.add(entry);
            }
        }
        assertEquals(1, removed, "the project's codecs once on the class path: " + classPath);
        return kept;
    }

    private ChildJvm startAgent(final String classPath) throws IOException
    {
        final Path directory = environment.root().resolve("agent");
        Files.createDirectories(directory);
        final Properties settings = new Properties();
        settings.putAll(Map.of(
            ReaderConfiguration.JOURNAL_ROOT, environment.journalRoot().toString(),
            ReaderConfiguration.STATE_DIR, environment.stateDir().toString(),
            ReaderConfiguration.DB_URL, TestDatabase.jdbcUrl(environment.database()),
            ReaderConfiguration.DISCOVERY_INTERVAL_MS, "50",
            ReaderConfiguration.METRICS_PORT, "-1"));
        if (null != TestDatabase.user())
        {
            settings.put(ReaderConfiguration.DB_USER, TestDatabase.user());
        }
        final Path configFile = directory.resolve("reader-agent.properties");
        try (Writer writer = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8))
        {
            settings.store(writer, "written by " + ScratchSchemaFieldIT.class.getSimpleName());
        }
        return ChildJvm.builder(ReaderAgentMain.class)
            .classPath(classPath)
            .arguments(configFile.toString())
            .workingDirectory(directory)
            .environment(null == TestDatabase.password() ?
                Map.of() : Map.of(ReaderContext.DB_PASSWORD_ENV, TestDatabase.password()))
            .log(directory.resolve("agent.log"))
            .start();
    }

    private static ChildJvm tool(final String classPath, final Path scratch, final String... args) throws IOException
    {
        return ChildJvm.builder(ToolsMain.class)
            .classPath(classPath)
            .arguments(args)
            .workingDirectory(scratch)
            .log(scratch.resolve(args[0] + "-" + System.nanoTime() + ".log"))
            .start();
    }

    private static String runTool(final String classPath, final Path scratch, final String... args)
        throws IOException, InterruptedException
    {
        try (ChildJvm run = tool(classPath, scratch, args))
        {
            assertTrue(run.awaitExit(RUN_TIMEOUT_MS), run.logTail());
            assertEquals(0, run.exitValue(), run.output());
            return run.output();
        }
    }
}
