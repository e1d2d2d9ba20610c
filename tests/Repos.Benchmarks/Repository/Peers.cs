using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Repos.Benchmarks.Repository;

/// <summary>Benchmark files: one folder per process, a file per peer, deleted with its WAL and shared-memory files (and LiteDB's log).</summary>
internal static class BenchFiles
{
    private static readonly string s_folder = Path.Combine(Path.GetTempPath(), "repos-bench", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static string PathOf(string name)
    {
        Directory.CreateDirectory(s_folder);
        return Path.Combine(s_folder, name + ".db");
    }

    public static void Delete(string path)
    {
        foreach (string file in new[] { path, path + "-wal", path + "-shm", path + "-journal", LiteStore.LogOf(path) })
        {
            if (File.Exists(file))
            {
                File.Delete(file);
            }
        }
    }
}

/// <summary>
/// The raw Microsoft.Data.Sqlite and Dapper peers' table: the shape Repos creates (key BLOB, the index columns,
/// _schema, _blob) with the same indexes, the entity stored as System.Text.Json UTF-8 in _blob.
/// </summary>
internal static class RawStore
{
    public const string Schema = """
        CREATE TABLE DailyEntry(key BLOB PRIMARY KEY NOT NULL, CompletedAt INTEGER, UserId TEXT, Date INTEGER, _schema INTEGER NOT NULL, _blob BLOB NOT NULL);
        CREATE UNIQUE INDEX DailyEntry_UserId_Date ON DailyEntry(UserId, Date);
        CREATE INDEX DailyEntry_CompletedAt ON DailyEntry(CompletedAt);
        """;

    public const string Insert = "INSERT INTO DailyEntry(key, CompletedAt, UserId, Date, _schema, _blob) VALUES(@key, @completedAt, @userId, @date, 1, @blob)";

    public const string Get = "SELECT _blob FROM DailyEntry WHERE key = @key";

    public const string Range = "SELECT _blob FROM DailyEntry WHERE UserId = @userId AND Date >= @from AND Date <= @to ORDER BY Date";

    public const string All = "SELECT _blob FROM DailyEntry";

    /// <summary>Opens a connection with the settings Repos uses: WAL, synchronous=NORMAL.</summary>
    public static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        connection.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
        return connection;
    }

    public static void CreateAndFill(string path)
    {
        using SqliteConnection connection = Open(path);
        connection.Execute(Schema);
        using SqliteTransaction transaction = connection.BeginTransaction();
        using SqliteCommand insert = PrepareInsert(connection, transaction);
        foreach (DailyEntry entry in DiaryData.Entries)
        {
            Insert1(insert, entry);
        }

        transaction.Commit();
    }

    public static SqliteCommand PrepareInsert(SqliteConnection connection, SqliteTransaction transaction)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = Insert;
        command.Transaction = transaction;
        command.Parameters.Add("@key", SqliteType.Blob);
        command.Parameters.Add("@completedAt", SqliteType.Integer);
        command.Parameters.Add("@userId", SqliteType.Text);
        command.Parameters.Add("@date", SqliteType.Integer);
        command.Parameters.Add("@blob", SqliteType.Blob);
        command.Prepare();
        return command;
    }

    public static void Insert1(SqliteCommand insert, DailyEntry entry)
    {
        insert.Parameters[0].Value = entry.Id;
        insert.Parameters[1].Value = entry.CompletedAt.Ticks;
        insert.Parameters[2].Value = entry.UserId;
        insert.Parameters[3].Value = entry.Date.DayNumber;
        insert.Parameters[4].Value = JsonSerializer.SerializeToUtf8Bytes(entry, DiaryJsonContext.Default.DailyEntry);
        insert.ExecuteNonQuery();
    }

    /// <summary>Reads the blob of column 0 into a reused buffer and deserializes it.</summary>
    public static DailyEntry Read(SqliteDataReader reader, ref byte[] buffer) =>
        JsonSerializer.Deserialize(ReadBlob(reader, ref buffer), DiaryJsonContext.Default.DailyEntry)!;

    /// <summary>Copies the blob of column 0 into <paramref name="buffer"/>, growing it when too small.</summary>
    public static ReadOnlySpan<byte> ReadBlob(SqliteDataReader reader, ref byte[] buffer)
    {
        int length = (int)reader.GetBytes(0, 0, null, 0, 0);
        Grow(ref buffer, length);
        reader.GetBytes(0, 0, buffer, 0, length);
        return buffer.AsSpan(0, length);
    }

    public static void Grow(ref byte[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, buffer.Length * 2)];
        }
    }
}

/// <summary>
/// The EF Core peer: <see cref="DailyEntry"/> mapped to columns by EF's conventions for SQLite (Guid, DateOnly
/// and DateTime as TEXT), the same two indexes, and the symptoms as one JSON column (a value conversion
/// through the same System.Text.Json source generator).
/// </summary>
internal sealed class DiaryContext : DbContext
{
    private readonly SqliteConnection _connection;

    public DiaryContext(SqliteConnection connection)
    {
        _connection = connection;
    }

    public DbSet<DailyEntry> Entries => Set<DailyEntry>();

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.UseSqlite(_connection);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DailyEntry>(entity =>
        {
            entity.ToTable("DailyEntry");
            entity.HasKey(e => e.Id);
            entity.Property(e => e.Id).ValueGeneratedNever();
            entity.HasIndex(e => new { e.UserId, e.Date }).IsUnique();
            entity.HasIndex(e => e.CompletedAt);
            entity.Property(e => e.Symptoms).HasConversion(
                symptoms => JsonSerializer.Serialize(symptoms, DiaryJsonContext.Default.IReadOnlyListDailySymptom),
                json => JsonSerializer.Deserialize(json, DiaryJsonContext.Default.IReadOnlyListDailySymptom)!,
                new ValueComparer<IReadOnlyList<DailySymptom>>(
                    (a, b) => ReferenceEquals(a, b),
                    symptoms => symptoms.GetHashCode(),
                    symptoms => symptoms));
        });
    }

    public static void CreateAndFill(string path)
    {
        using SqliteConnection connection = RawStore.Open(path);
        using var context = new DiaryContext(connection);
        context.Database.EnsureCreated();
        using var transaction = context.Database.BeginTransaction();
        context.Entries.AddRange(DiaryData.Entries);
        context.SaveChanges();
        transaction.Commit();
    }
}
