using System.Globalization;

namespace Repos.Sync;

/// <summary>
/// The key of a synced row as it travels: an integer, a string, or bytes (a <see cref="Guid"/> key as its 16
/// big-endian bytes, as the file stores it).
/// </summary>
public readonly struct SyncKey : IEquatable<SyncKey>
{
    private readonly long _integer;
    private readonly object? _reference;

    private SyncKey(long integer, object? reference)
    {
        _integer = integer;
        _reference = reference;
    }

    /// <summary>Whether the key is an integer.</summary>
    public bool IsInteger => _reference is null;

    /// <summary>The integer, for an integer key.</summary>
    public long Integer => _integer;

    /// <summary>The string, for a string key; otherwise null.</summary>
    public string? Text => _reference as string;

    /// <summary>The bytes, for a bytes key; otherwise null.</summary>
    public byte[]? Bytes => _reference as byte[];

    /// <summary>An integer key.</summary>
    public static SyncKey From(long value) => new(value, null);

    /// <summary>A string key.</summary>
    public static SyncKey From(string value) => new(0, value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>A bytes key (the array is not copied: do not change it).</summary>
    public static SyncKey From(byte[] value) => new(0, value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>A <see cref="Guid"/> key, as its 16 big-endian bytes.</summary>
    public static SyncKey From(Guid value)
    {
        byte[] bytes = new byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        return new(0, bytes);
    }

    /// <inheritdoc />
    public bool Equals(SyncKey other) =>
        _integer == other._integer
        && (_reference, other._reference) switch
        {
            (null, null) => true,
            (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
            (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
            _ => false,
        };

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SyncKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        switch (_reference)
        {
            case string s:
                return string.GetHashCode(s, StringComparison.Ordinal);
            case byte[] b:
                var hash = default(HashCode);
                hash.AddBytes(b);
                return hash.ToHashCode();
            default:
                return _integer.GetHashCode();
        }
    }

    /// <summary>The key as messages show it: the number, the string quoted, a 16-byte key as a GUID, other bytes as hex.</summary>
    public override string ToString() => _reference switch
    {
        string s => $"'{s}'",
        byte[] { Length: 16 } b => new Guid(b, bigEndian: true).ToString(),
        byte[] b => Convert.ToHexString(b),
        _ => _integer.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Whether two keys are the same.</summary>
    public static bool operator ==(SyncKey left, SyncKey right) => left.Equals(right);

    /// <summary>Whether two keys differ.</summary>
    public static bool operator !=(SyncKey left, SyncKey right) => !left.Equals(right);
}

/// <summary>One field of a change: the property's name, the stamp of its value, and the value (wire encoding, docs/sync.md).</summary>
/// <param name="Name">The property name, as the catalog has it.</param>
/// <param name="Stamp">When the value was written, and by which replica.</param>
/// <param name="Value">The value's MessagePack encoding, objects nested in it keyed by property name.</param>
public readonly record struct SyncFieldValue(string Name, SyncStamp Stamp, ReadOnlyMemory<byte> Value);

/// <summary>
/// A change to one synced row, as it travels between replicas and the server: the row's insert and tombstone
/// stamps when it carries them, and the fields it carries with their stamps.
/// </summary>
public sealed class SyncChange
{
    /// <summary>The entity's name.</summary>
    public required string Entity { get; init; }

    /// <summary>The sender's schema version of the entity.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>The row's key.</summary>
    public required SyncKey Key { get; init; }

    /// <summary>The stamp of the row's insert, when the change (re)inserts it.</summary>
    public SyncStamp? Inserted { get; init; }

    /// <summary>The stamp of the row's tombstone, when the change deletes it.</summary>
    public SyncStamp? Deleted { get; init; }

    /// <summary>The fields the change carries.</summary>
    public IReadOnlyList<SyncFieldValue> Fields { get; init; } = [];

    /// <summary>The highest stamp in the change.</summary>
    public SyncStamp Latest
    {
        get
        {
            SyncStamp latest = default;
            if (Inserted is { } inserted && inserted > latest)
            {
                latest = inserted;
            }

            if (Deleted is { } deleted && deleted > latest)
            {
                latest = deleted;
            }

            foreach (SyncFieldValue value in Fields)
            {
                if (value.Stamp > latest)
                {
                    latest = value.Stamp;
                }
            }

            return latest;
        }
    }

    /// <summary>The change for messages: entity and key.</summary>
    public override string ToString() => $"{Entity} {Key}";
}

/// <summary>A batch of changes a replica pushes.</summary>
/// <param name="Replica">The pushing replica.</param>
/// <param name="Batch">The replica's number for the batch: a retry of the same batch has the same number, and is applied once.</param>
/// <param name="Changes">The changes.</param>
public sealed record SyncPush(Guid Replica, long Batch, IReadOnlyList<SyncChange> Changes);

/// <summary>A change of a pushed batch that the server refused.</summary>
/// <param name="Index">The change's place in the batch.</param>
/// <param name="Reason">Why, in a sentence fit for a log.</param>
/// <param name="Permanent">Whether retrying can never help (validation, authorization): the change goes to the dead letters.</param>
public sealed record SyncRefusal(int Index, string Reason, bool Permanent);

/// <summary>What the server answered to a push: every change not refused is stored.</summary>
/// <param name="Batch">The batch acknowledged.</param>
/// <param name="Refused">The changes refused, if any.</param>
public sealed record SyncPushResult(long Batch, IReadOnlyList<SyncRefusal> Refused);

/// <summary>What a replica asks for: changes after a cursor.</summary>
/// <param name="Replica">The pulling replica.</param>
/// <param name="Cursor">Where the last pull ended, or null for the start.</param>
/// <param name="MaxChanges">The most changes to answer with.</param>
/// <param name="MaxBytes">
/// About the most bytes of changes to answer with; a row's changes are never split, so the first row goes whole
/// whatever its size.
/// </param>
public sealed record SyncPullRequest(Guid Replica, string? Cursor, int MaxChanges, int MaxBytes = SyncOptions.DefaultMaxBatchBytes);

/// <summary>Changes the server answers a pull with.</summary>
/// <param name="Changes">The changes, in the server's order.</param>
/// <param name="Cursor">Where this answer ends: the next pull starts there.</param>
/// <param name="More">Whether the server has more after it.</param>
public sealed record SyncPullResult(IReadOnlyList<SyncChange> Changes, string Cursor, bool More);
