package dev.minnow.interpreter;

import dev.minnow.runtime.RangeTask;
import dev.minnow.runtime.SplitTask;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The intra-op workers of one interpreter ({@link InterpreterOptions#setNumThreads}): the splits kernels ask for in
 * prepare ({@link dev.minnow.runtime.NodeContext#split}) run their ranges here, the invoking thread taking the first.
 * Without a caller's executor the pool owns {@code threads - 1} daemon threads, started when the first split that
 * uses them is prepared and stopped by {@link #close()}; they wait for work spinning briefly, then parked, so a split
 * hands over and joins without allocating. With a caller's executor each range is one {@code execute} of a
 * {@link Runnable} made at prepare (what the executor allocates to queue it is the executor's).
 */
final class IntraOpPool implements AutoCloseable {
    /** How long a waiting thread spins (in {@link Thread#onSpinWait} calls) before it parks. */
    private static final int SPINS = 1 << 12;

    private final int threads;
    private final Executor executor;
    private final long minSplitWork;
    private Worker[] workers;
    private volatile boolean closed;

    IntraOpPool(int threads, Executor executor, long minSplitWork) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.minSplitWork = minSplitWork;
        this.executor = executor;
    }

    /** The most ranges one split runs at once. */
    int threads() { return threads; }

    /** The fewest multiply-accumulates per range. */
    long minSplitWork() { return minSplitWork; }

    /** {@code task} over {@code [0, count)} in at most {@link #threads} ranges of at least {@code minItems} items. */
    SplitTask split(RangeTask task, int count, int minItems) {
        int ranges = (int) Math.min(threads, Math.max(1, count / (long) Math.max(1, minItems)));
        if (ranges <= 1 || closed) return () -> task.run(0, count);
        if (executor == null) startWorkers();
        return new Split(task, count, ranges);
    }

    private synchronized void startWorkers() {
        if (workers != null) return;
        workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker();
            Thread t = new Thread(workers[i], "minnow-intra-op-" + (i + 1));
            t.setDaemon(true);
            workers[i].thread = t;
            t.start();
        }
    }

    /** Stops the pool's own threads (a caller's executor is the caller's to shut down). */
    @Override
    public synchronized void close() {
        closed = true;
        if (workers == null) return;
        for (Worker w : workers) LockSupport.unpark(w.thread);
    }

    /** One prepared split: the range bounds and one runnable per range, made once. */
    private final class Split implements SplitTask {
        private final RangeTask task;
        private final int[] bounds;
        private final Runnable[] parts;
        private final AtomicInteger pending = new AtomicInteger();
        private volatile Thread caller;
        private volatile Throwable failure;

        Split(RangeTask task, int count, int ranges) {
            this.task = task;
            this.bounds = new int[ranges + 1];
            for (int r = 0; r <= ranges; r++) bounds[r] = (int) ((long) count * r / ranges);
            this.parts = new Runnable[ranges];
            for (int r = 1; r < ranges; r++) {
                int from = bounds[r], to = bounds[r + 1];
                parts[r] = () -> {
                    try {
                        task.run(from, to);
                    } catch (Throwable e) {
                        if (failure == null) failure = e;
                    } finally {
                        if (pending.decrementAndGet() == 0) LockSupport.unpark(caller);
                    }
                };
            }
        }

        @Override
        public void run() {
            if (closed) throw new IllegalStateException("the interpreter's intra-op pool is closed");
            int ranges = parts.length;
            caller = Thread.currentThread();
            failure = null;
            pending.set(ranges - 1);
            for (int r = 1; r < ranges; r++) {
                if (executor != null) executor.execute(parts[r]);
                else workers[r - 1].post(parts[r]);
            }
            Throwable own = null;
            try {
                task.run(bounds[0], bounds[1]);
            } catch (Throwable e) {
                own = e;
            }
            for (int spins = 0; pending.get() != 0; spins++) {
                if (spins < SPINS) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            Throwable e = own != null ? own : failure;
            if (e instanceof RuntimeException re) throw re;
            if (e instanceof Error err) throw err;
            if (e != null) throw new IllegalStateException("an intra-op range failed", e);
        }
    }

    /** One pool thread: runs what {@link #post} hands it, one job at a time. */
    private final class Worker implements Runnable {
        private volatile Runnable job;
        private Thread thread;

        void post(Runnable r) {
            job = r;
            LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            int spins = 0;
            while (!closed) {
                Runnable r = job;
                if (r == null) {
                    if (spins++ < SPINS) Thread.onSpinWait();
                    else LockSupport.park(this);
                    continue;
                }
                job = null;
                spins = 0;
                r.run();
            }
        }
    }
}
