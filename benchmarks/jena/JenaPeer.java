/*
 * Apache Jena's SPARQL engine (ARQ) over a release's N-Quads dump, in memory, as the
 * benchmark's peer (benchmarks/jena/peer.py starts it and talks to it).
 *
 *   java -cp <Debian's jars>:<classes> JenaPeer dataset.nq [timeout-seconds]
 *
 * The dump is loaded into ARQ's in-memory transactional dataset (what Fuseki's --mem serves),
 * then "ready <load ms> <quads>" is printed.  Each query comes on stdin as a line giving its
 * length in UTF-8 bytes, then those bytes; the answer is one line on stdout:
 * "ok <ms> <rows>" (rows of a SELECT, true or false for an ASK) or "error <message>".
 * The time covers parsing, evaluation and writing the results as SPARQL JSON (thrown away),
 * which is what the other engines of the benchmark are timed for.
 */

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.apache.jena.graph.Graph;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryCancelledException;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.riot.resultset.ResultSetLang;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.Var;
import org.apache.jena.sparql.core.mem.DatasetGraphInMemory;
import org.apache.jena.sparql.engine.binding.Binding;
import org.apache.jena.sparql.exec.QueryExec;
import org.apache.jena.sparql.exec.QueryExecBuilder;
import org.apache.jena.sparql.exec.RowSet;
import org.apache.jena.sparql.resultset.ResultsWriter;
import org.apache.jena.system.Txn;

public final class JenaPeer {

    static final ResultsWriter JSON = ResultsWriter.create().lang(ResultSetLang.RS_JSON).build();

    /* Our endpoint answers with the default graph as the union of the named graphs (Oxigraph's
     * use_default_graph_as_union).  ARQ's in-memory dataset has no such setting (TDB's
     * unionDefaultGraph is TDB's own), and a DatasetGraphWrapper would not do: ARQ unwraps it
     * and queries the dataset inside.  So the dataset itself answers the default graph with its
     * union graph (one lookup in its quad indexes, duplicates dropped); GRAPH still sees each
     * named graph.  Nothing is added to it once loaded. */
    static final class UnionDefaultGraph extends DatasetGraphInMemory {
        @Override
        public Graph getDefaultGraph() {
            return getUnionGraph();
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: JenaPeer dataset.nq [timeout-seconds]");
            System.exit(2);
        }
        long timeoutMs = args.length > 1 ? Math.round(Double.parseDouble(args[1]) * 1000) : -1;
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

        long started = System.nanoTime();
        DatasetGraph store = new UnionDefaultGraph();
        Txn.executeWrite(store, () -> RDFParser.source(args[0]).lang(Lang.NQUADS).parse(store));
        long quads = Txn.calculateRead(store, () -> {
            long n = 0;
            for (var it = store.find(); it.hasNext(); it.next()) {
                n++;
            }
            return n;
        });
        out.printf(Locale.ROOT, "ready %.3f %d%n", (System.nanoTime() - started) / 1e6, quads);

        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in));
        while (true) {
            String header = readLine(in);
            if (header == null) {
                return;   // stdin closed: the benchmark is done with us
            }
            byte[] text = new byte[Integer.parseInt(header.trim())];
            try {
                in.readFully(text);
            } catch (EOFException exc) {
                return;
            }
            out.println(answer(store, new String(text, StandardCharsets.UTF_8), timeoutMs));
        }
    }

    static String answer(DatasetGraph dataset, String text, long timeoutMs) {
        OutputStream sink = OutputStream.nullOutputStream();
        try {
            long started = System.nanoTime();
            Query query = QueryFactory.create(text);
            QueryExecBuilder builder = QueryExec.dataset(dataset).query(query);
            if (timeoutMs > 0) {
                builder = builder.timeout(timeoutMs, TimeUnit.MILLISECONDS);
            }
            String rows;
            try (QueryExec execution = builder.build()) {
                if (query.isSelectType()) {
                    Counted results = new Counted(execution.select());
                    JSON.write(sink, results);
                    rows = Long.toString(results.rows);
                } else if (query.isAskType()) {
                    boolean result = execution.ask();
                    JSON.write(sink, result);
                    rows = Boolean.toString(result);
                } else {
                    return "error only SELECT and ASK queries are timed, not " + query.queryType();
                }
            }
            return String.format(Locale.ROOT, "ok %.3f %s", (System.nanoTime() - started) / 1e6, rows);
        } catch (QueryCancelledException exc) {
            return String.format(Locale.ROOT, "error stopped after the timeout of %.0f s", timeoutMs / 1000.0);
        } catch (RuntimeException exc) {
            String message = exc.getClass().getSimpleName() + ": " + exc.getMessage();
            return "error " + message.replaceAll("\\s+", " ");
        }
    }

    /* The rows as the results writer takes them, counted on the way. */
    static final class Counted implements RowSet {
        final RowSet inner;
        long rows;

        Counted(RowSet inner) {
            this.inner = inner;
        }

        @Override
        public boolean hasNext() {
            return inner.hasNext();
        }

        @Override
        public Binding next() {
            rows++;
            return inner.next();
        }

        @Override
        public List<Var> getResultVars() {
            return inner.getResultVars();
        }

        @Override
        public long getRowNumber() {
            return rows;
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /* One line of ASCII (the length header), or null at the end of the input. */
    static String readLine(DataInputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            line.append((char) c);
        }
        return c == -1 && line.length() == 0 ? null : line.toString();
    }
}
