using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Traceability.Lab.Index;

/// <summary>A file that is not a usable kp index (not SQLite, another schema, another registry): the message names the file and why.</summary>
public sealed class IndexFileException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A block the index has read, by number, hash and time.</summary>
/// <param name="Number">Block number.</param>
/// <param name="Hash">Block hash (0x-hex, lowercase).</param>
/// <param name="Time">Block time, Unix seconds.</param>
public sealed record IndexedBlock(ulong Number, string Hash, ulong Time);

/// <summary>
/// The index: one SQLite file holding every registry event (one table per kind of record, each row
/// with its block, log index, transaction and block time), the hashes of the blocks read, and where
/// reading stopped. Writes happen in one transaction per round of ranges, so a crash leaves the index
/// at the end of a round; a rollback deletes everything above a block.
/// </summary>
public sealed class IndexStore : IDisposable
{
    /// <summary>The schema this code reads and writes (kept in the file's meta table).</summary>
    public const string Schema = "kp-index-1";

    /// <summary>The quarter of a Unix time (UTC) as the index stores it: year * 10 + quarter (20232 is 2023-Q2).</summary>
    public static int QuarterOf(ulong unixSeconds)
    {
        var t = DateTimeOffset.FromUnixTimeSeconds((long)Math.Min(unixSeconds, 253_402_300_799UL));
        return t.Year * 10 + (t.Month + 2) / 3;
    }

    /// <summary>A stored quarter as text: 20232 is 2023-Q2.</summary>
    public static string QuarterText(long quarter) => $"{quarter / 10}-Q{quarter % 10}";

    /// <summary>The tables that hold events (each has a block column), in the order they are rolled back.</summary>
    public static readonly string[] EventTables =
    [
        "participant_events", "directory_events", "parcels", "transformations", "transformation_inputs", "anchors",
        "certificates", "certificate_parcels", "confirmations", "voids", "flags",
    ];

    private const string Ddl = """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS blocks (number INTEGER PRIMARY KEY, hash BLOB NOT NULL, time INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS participant_events (block INTEGER NOT NULL, log INTEGER NOT NULL, tx BLOB NOT NULL, time INTEGER NOT NULL,
            kind TEXT NOT NULL, code TEXT NOT NULL, PRIMARY KEY (block, log));
        CREATE TABLE IF NOT EXISTS directory_events (block INTEGER NOT NULL, log INTEGER NOT NULL, tx BLOB NOT NULL, time INTEGER NOT NULL,
            kind TEXT NOT NULL, participant TEXT NOT NULL, account TEXT NOT NULL, member_index INTEGER, PRIMARY KEY (block, log));
        CREATE TABLE IF NOT EXISTS parcels (hash BLOB PRIMARY KEY, participant TEXT NOT NULL, registrant TEXT, transformation BLOB,
            block INTEGER NOT NULL, log INTEGER NOT NULL, tx BLOB NOT NULL, time INTEGER NOT NULL, quarter INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS transformations (hash BLOB PRIMARY KEY, participant TEXT NOT NULL, registrant TEXT NOT NULL, outputs INTEGER NOT NULL,
            block INTEGER NOT NULL, log INTEGER NOT NULL, tx BLOB NOT NULL, time INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS transformation_inputs (transformation BLOB NOT NULL, input BLOB NOT NULL, block INTEGER NOT NULL,
            PRIMARY KEY (transformation, input)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS anchors (root BLOB NOT NULL, participant TEXT NOT NULL, registrant TEXT NOT NULL, leaf_count INTEGER NOT NULL,
            block INTEGER NOT NULL, log INTEGER NOT NULL, tx BLOB NOT NULL, time INTEGER NOT NULL, PRIMARY KEY (block, log));
        CREATE TABLE IF NOT EXISTS certificates (exporter TEXT NOT NULL, number_hash BLOB NOT NULL, importer TEXT NOT NULL, certificate_hash BLOB NOT NULL,
            expires_at INTEGER NOT NULL, authority TEXT NOT NULL, relayer TEXT NOT NULL, parcels INTEGER NOT NULL,
            block INTEGER NOT NULL, log INTEGER NOT NULL, tx BLOB NOT NULL, time INTEGER NOT NULL, quarter INTEGER NOT NULL, PRIMARY KEY (exporter, number_hash));
        CREATE TABLE IF NOT EXISTS certificate_parcels (exporter TEXT NOT NULL, number_hash BLOB NOT NULL, parcel BLOB NOT NULL, block INTEGER NOT NULL,
            PRIMARY KEY (exporter, number_hash, parcel)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS confirmations (exporter TEXT NOT NULL, number_hash BLOB NOT NULL, importer TEXT NOT NULL, confirmation_hash BLOB NOT NULL,
            authority TEXT NOT NULL, block INTEGER NOT NULL, log INTEGER NOT NULL, tx BLOB NOT NULL, time INTEGER NOT NULL, PRIMARY KEY (exporter, number_hash));
        CREATE TABLE IF NOT EXISTS voids (exporter TEXT NOT NULL, number_hash BLOB NOT NULL, authority TEXT NOT NULL,
            block INTEGER NOT NULL, log INTEGER NOT NULL, tx BLOB NOT NULL, time INTEGER NOT NULL, PRIMARY KEY (block, log));
        CREATE TABLE IF NOT EXISTS flags (kind INTEGER NOT NULL, key BLOB NOT NULL, flag INTEGER NOT NULL, category INTEGER NOT NULL, evidence_hash BLOB NOT NULL,
            block INTEGER NOT NULL, log INTEGER NOT NULL, tx BLOB NOT NULL, time INTEGER NOT NULL, PRIMARY KEY (block, log));
        CREATE INDEX IF NOT EXISTS certificates_quarter_pair ON certificates (quarter, exporter, importer, parcels);
        CREATE INDEX IF NOT EXISTS certificates_pair_quarter ON certificates (exporter, importer, quarter, parcels);
        CREATE INDEX IF NOT EXISTS parcels_transformation_quarter ON parcels (transformation, quarter, participant);
        CREATE INDEX IF NOT EXISTS certificate_parcels_parcel ON certificate_parcels (parcel);
        CREATE INDEX IF NOT EXISTS flags_key ON flags (kind, key);
        """;

    private readonly SqliteConnection _db;

    private IndexStore(SqliteConnection db, string path) => (_db, Path) = (db, path);

    /// <summary>The index file.</summary>
    public string Path { get; }

    /// <summary>The open connection (for queries).</summary>
    public SqliteConnection Connection => _db;

    /// <summary>Opens the index at <paramref name="path"/>, creating it (and its folder) when <paramref name="create"/> and it does not exist.</summary>
    /// <exception cref="IndexFileException">The file is not a kp index of this schema, or cannot be opened.</exception>
    /// <exception cref="FileNotFoundException">It does not exist and <paramref name="create"/> is false.</exception>
    public static IndexStore Open(string path, bool create)
    {
        path = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(path)) throw new IndexFileException($"{path} is a folder, not an index file");
        var exists = File.Exists(path);
        if (!exists && !create) throw new FileNotFoundException($"no index at {path}", path);
        if (exists)
        {
            RequireSqliteHeader(path); // the caller checks it is a regular file (never a FIFO or a device)
        }
        else if (System.IO.Path.GetDirectoryName(path) is { } folder) Directory.CreateDirectory(folder);

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadOnly,
            Pooling = false,
        };
        var db = new SqliteConnection(builder.ToString());
        var store = new IndexStore(db, path);
        try
        {
            db.Open();
            store.Execute("PRAGMA trusted_schema=OFF;"); // a crafted file's schema may not call functions with side effects
            if (exists) store.RequireSchema(); // judged before anything is written: a foreign database is left as it was
            if (create)
            {
                store.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
                if (!exists)
                {
                    store.Execute(Ddl);
                    store.SetMeta("schema", Schema);
                }
            }
            store.Execute("PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;");
            return store;
        }
        catch (SqliteException e)
        {
            store.Dispose();
            throw new IndexFileException($"{path} is not a kp index ({e.Message.TrimEnd('.')})", e);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    // a file that does not begin as SQLite's do is never opened (SQLite would overwrite an empty one, read a foreign one as corrupt)
    private static void RequireSqliteHeader(string path)
    {
        var header = new byte[16];
        using (var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            if (f.Length == 0) throw new IndexFileException($"{path} is empty, not a kp index (delete it to start a new one)");
            if (f.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || !header.AsSpan().SequenceEqual("SQLite format 3\0"u8))
            {
                throw new IndexFileException($"{path} is not a kp index (not an SQLite database)");
            }
        }
    }

    private void RequireSchema()
    {
        var tables = new HashSet<string>(StringComparer.Ordinal);
        using (var cmd = Command("SELECT name FROM sqlite_master WHERE type='table'"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) tables.Add(r.GetString(0));
        }
        var missing = new[] { "meta", "blocks" }.Concat(EventTables).Where(t => !tables.Contains(t)).ToList();
        if (missing.Count > 0) throw new IndexFileException($"{Path} is an SQLite database but not a kp index (no table {missing[0]})");
        // kp index creates tables and indexes only: a trigger would rewrite what is written, a view stand for what is read
        using (var cmd = Command("SELECT type, name FROM sqlite_master WHERE type NOT IN ('table', 'index') LIMIT 1"))
        using (var r = cmd.ExecuteReader())
        {
            if (r.Read()) throw new IndexFileException($"{Path} is not a kp index as kp writes it: it holds a {r.GetString(0)} ({r.GetString(1)})");
        }
        var schema = Meta("schema");
        if (schema is null) throw new IndexFileException($"{Path} is an SQLite database but not a kp index (no schema in its meta table)");
        if (schema != Schema) throw new IndexFileException($"{Path} is a kp index of schema {schema}; this kp reads {Schema} (delete it and index again)");
        _ = LastIndexed; // where reading stopped, as every command reads it first: a damaged block is told before the chain is asked
    }

    /// <summary>A meta value, or null.</summary>
    public string? Meta(string key)
    {
        using var cmd = Command("SELECT value FROM meta WHERE key = $k");
        cmd.Parameters.AddWithValue("$k", key);
        return cmd.ExecuteScalar() as string;
    }

    /// <summary>Sets a meta value.</summary>
    public void SetMeta(string key, string value, SqliteTransaction? tx = null)
    {
        using var cmd = Command("INSERT INTO meta (key, value) VALUES ($k, $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value", tx);
        cmd.Parameters.AddWithValue("$k", key);
        cmd.Parameters.AddWithValue("$v", value);
        cmd.ExecuteNonQuery();
    }

    /// <summary>The last block read completely, or null before the first run.</summary>
    public IndexedBlock? LastIndexed
    {
        get
        {
            if (Meta("indexedTo") is not { } text) return null;
            if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) throw Damaged($"its last block is '{Cut(text)}', not a block number");
            return Block(number) ?? throw Damaged($"it names block {number} as its last but does not hold its hash");
        }
    }

    /// <summary>The block <paramref name="number"/> as stored, or null.</summary>
    public IndexedBlock? Block(ulong number)
    {
        using var cmd = Command("SELECT hash, time FROM blocks WHERE number = $n");
        cmd.Parameters.AddWithValue("$n", (long)number);
        using var r = cmd.ExecuteReader();
        return r.Read() ? BlockOf(number, r[0], r[1]) : null;
    }

    // what kp index writes: a 32-byte hash and a time in seconds; anything else (a value of another type, which a cast would throw on) is a damaged or crafted file
    private IndexedBlock BlockOf(ulong number, object hash, object time) =>
        hash is byte[] { Length: 32 } h && time is long t && t >= 0 ? new IndexedBlock(number, Hex(h), (ulong)t)
            : throw Damaged($"block {number} is stored with a hash of {Describe(hash)} and a time of {Describe(time)}, not a 32-byte hash and a time in seconds");

    private static string Describe(object value) => value switch
    {
        byte[] b => $"{b.Length} bytes",
        long n => $"the number {n}",
        string text => $"the text '{Cut(text)}'",
        DBNull => "nothing",
        _ => value.GetType().Name,
    };

    private static string Cut(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>The error for a file whose rows are not as kp index writes them.</summary>
    internal IndexFileException Damaged(string what) => new($"{Path} is damaged or not kp's: {what}; index again into a new file");

    /// <summary>Stored blocks at or below <paramref name="atOrBelow"/>, newest first, at most <paramref name="count"/>.</summary>
    public IReadOnlyList<IndexedBlock> BlocksDown(ulong atOrBelow, int count)
    {
        using var cmd = Command("SELECT number, hash, time FROM blocks WHERE number <= $n ORDER BY number DESC LIMIT $c");
        cmd.Parameters.AddWithValue("$n", (long)Math.Min(atOrBelow, long.MaxValue));
        cmd.Parameters.AddWithValue("$c", count);
        using var r = cmd.ExecuteReader();
        var list = new List<IndexedBlock>();
        while (r.Read()) list.Add(BlockOf(r[0] is long n && n >= 0 ? (ulong)n : throw Damaged("a block number is not a number"), r[1], r[2]));
        return list;
    }

    /// <summary>
    /// Deletes every event and block above <paramref name="ancestor"/> (the newest block both chains share; null: everything)
    /// and sets the last indexed block to it. Returns the rows deleted.
    /// </summary>
    public long RollBack(ulong? ancestor)
    {
        using var tx = _db.BeginTransaction();
        var above = ancestor is { } a ? (long)a : -1;
        long deleted = 0;
        foreach (var table in EventTables.Append("blocks"))
        {
            using var cmd = Command($"DELETE FROM {table} WHERE {(table == "blocks" ? "number" : "block")} > $b", tx);
            cmd.Parameters.AddWithValue("$b", above);
            deleted += cmd.ExecuteNonQuery();
        }
        if (ancestor is { } keep)
        {
            SetMeta("indexedTo", keep.ToString(CultureInfo.InvariantCulture), tx);
        }
        else
        {
            using var cmd = Command("DELETE FROM meta WHERE key = 'indexedTo'", tx);
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
        return deleted;
    }

    /// <summary>Starts the writing of one round (<see cref="IndexWriter"/>): commit it to keep it.</summary>
    public IndexWriter BeginRound() => new(this, _db.BeginTransaction());

    /// <summary>Rows of a table.</summary>
    public long Count(string table) => EventTables.Append("blocks").Contains(table)
        ? (long)Scalar($"SELECT count(*) FROM {table}")!
        : throw new ArgumentException($"not an index table: {table}", nameof(table));

    internal SqliteCommand Command(string sql, SqliteTransaction? tx = null)
    {
        var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    private void Execute(string sql)
    {
        using var cmd = Command(sql);
        cmd.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var cmd = Command(sql);
        return cmd.ExecuteScalar();
    }

    /// <summary>0x-hex of bytes, lowercase.</summary>
    public static string Hex(byte[] bytes) => "0x" + Convert.ToHexStringLower(bytes);

    /// <summary>The bytes of a 0x-hex string.</summary>
    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex);

    /// <inheritdoc />
    public void Dispose() => _db.Dispose();
}
