package io.arqonbus.server.internal.history;

import io.arqonbus.server.internal.channel.ChannelKey;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * One open RocksDB database of {@link RocksHistoryStore} with its column families and write
 * options, and the guard that keeps it from being closed under a reader: native handles used
 * after close crash the process, so every use runs inside {@link #use()} / {@link #release()}.
 */
final class RocksEngine {
    final RocksDB db;
    final ColumnFamilyHandle streams;
    final ColumnFamilyHandle entries;
    /** For appends: synced or not, as configured. */
    final WriteOptions appendWrites;
    /** For trimming: never synced (a lost trim is redone). */
    final WriteOptions trimWrites;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final ColumnFamilyHandle defaultFamily;
    /** The file system holding the database, asked for its free space before each write. */
    private final FileStore disk;
    private final ReadWriteLock guard = new ReentrantReadWriteLock();
    private boolean closed;

    private RocksEngine(RocksDB db, List<ColumnFamilyHandle> handles, DBOptions dbOptions, ColumnFamilyOptions cfOptions,
            boolean sync, FileStore disk) {
        this.db = db;
        this.disk = disk;
        this.defaultFamily = handles.get(0);
        this.streams = handles.get(1);
        this.entries = handles.get(2);
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.appendWrites = new WriteOptions().setSync(sync);
        this.trimWrites = new WriteOptions().setSync(false);
    }

    /**
     * Opens (creating when missing) the database in {@code directory}.
     *
     * @throws StoreUnavailableException when the library cannot load, the directory cannot be
     *                                   made, the database is locked by another process, or it
     *                                   holds another format
     */
    static RocksEngine open(Path directory, boolean sync) {
        try {
            RocksDB.loadLibrary();
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            throw new StoreUnavailableException("cannot load RocksDB's native library (the file store runs on "
                    + "Linux with glibc on x86-64, aarch64, ppc64le, s390x or riscv64): " + e.getMessage(), e);
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot create the history directory " + directory + ": " + e, e);
        }
        DBOptions dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(2)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setKeepLogFileNum(2)
                .setMaxLogFileSize(4L * 1024 * 1024);
        ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
        List<ColumnFamilyDescriptor> families = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
                new ColumnFamilyDescriptor(RocksLayout.STREAMS.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        cfOptions),
                new ColumnFamilyDescriptor(RocksLayout.ENTRIES.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        cfOptions));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db;
        try {
            db = RocksDB.open(dbOptions, directory.toString(), families, handles);
        } catch (RocksDBException e) {
            dbOptions.close();
            cfOptions.close();
            throw new StoreUnavailableException("cannot open the history store in " + directory + " (is another "
                    + "server using it?): " + e.getMessage(), e);
        }
        FileStore disk;
        try {
            disk = Files.getFileStore(directory);
        } catch (IOException e) {
            db.close();
            dbOptions.close();
            cfOptions.close();
            throw new StoreUnavailableException("cannot read the file system of " + directory + ": " + e, e);
        }
        RocksEngine engine = new RocksEngine(db, handles, dbOptions, cfOptions, sync, disk);
        try {
            engine.checkFormat(directory);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        return engine;
    }

    private void checkFormat(Path directory) {
        try {
            byte[] format = db.get(defaultFamily, RocksLayout.FORMAT_KEY);
            if (format == null) {
                db.put(defaultFamily, appendWrites, RocksLayout.FORMAT_KEY, RocksLayout.FORMAT);
            } else if (!Arrays.equals(format, RocksLayout.FORMAT)) {
                throw new StoreUnavailableException("the history store in " + directory + " has format '"
                        + new String(format, java.nio.charset.StandardCharsets.US_ASCII) + "', this server reads '"
                        + new String(RocksLayout.FORMAT, java.nio.charset.StandardCharsets.US_ASCII) + "'");
            }
        } catch (RocksDBException e) {
            throw new StoreUnavailableException("cannot read the history store in " + directory + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Refuses a write of {@code bytes} that would leave less than {@code reserve} free on the
     * database's file system: RocksDB must never meet a full disk itself, because a failed log
     * write leaves the database refusing every write until it is reopened (RocksJava has no
     * {@code DB::Resume}, and even that does not clear a failed log writer).
     *
     * @throws StoreUnavailableException when the space is not there, or cannot be read
     */
    void checkSpace(long bytes, long reserve) {
        long free;
        try {
            free = disk.getUsableSpace();
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read the free space of the history store's disk: " + e, e);
        }
        if (free - bytes < reserve) {
            throw new StoreUnavailableException("the history store's disk is full: " + free + " bytes free, "
                    + reserve + " kept in reserve");
        }
    }

    /** Every stream's state, read at open. */
    Map<ChannelKey, StreamState> loadStreams() {
        Map<ChannelKey, StreamState> out = new HashMap<>();
        try (RocksIterator it = db.newIterator(streams)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.put(RocksLayout.channelKeyOf(it.key()), StreamState.decode(it.value()));
            }
            it.status();
        } catch (RocksDBException e) {
            throw new StoreUnavailableException("cannot read the history store's streams: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Marks a use of the native handles; {@code false} (and nothing to release) once closed.
     */
    boolean use() {
        guard.readLock().lock();
        if (closed) {
            guard.readLock().unlock();
            return false;
        }
        return true;
    }

    /** Ends a use begun by a successful {@link #use()}. */
    void release() {
        guard.readLock().unlock();
    }

    /** Closes the database once no use is in progress. Idempotent. */
    void close() {
        guard.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            // Memtables to table files, so the next open need not replay the log.
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush, List.of(streams, entries));
            } catch (RocksDBException e) {
                // Closing anyway: the log holds everything; the next open replays it.
            }
            appendWrites.close();
            trimWrites.close();
            defaultFamily.close();
            streams.close();
            entries.close();
            db.close();
            dbOptions.close();
            cfOptions.close();
        } finally {
            guard.writeLock().unlock();
        }
    }
}
