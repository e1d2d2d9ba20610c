using System.Buffers;
using System.Text;
using Repos.Serialization;

namespace Repos.Sync;

/// <summary>
/// The sync wire format, version 1 (docs/sync.md, <i>Wire format</i>): pushes, pull requests and their answers as
/// MessagePack maps. Reading checks the whole message against the limits below and refuses anything else with a
/// <see cref="SyncFormatException"/> that names the change and the problem, so a hostile or damaged message
/// never gets partly applied.
/// </summary>
public static class SyncWire
{
    /// <summary>The version this Repos writes and reads.</summary>
    public const int Version = 1;

    /// <summary>The largest message read: 64 MiB.</summary>
    public const int MaxMessageBytes = 64 << 20;

    /// <summary>The most changes one message holds.</summary>
    public const int MaxChanges = 10_000;

    /// <summary>The most fields one change holds.</summary>
    public const int MaxFields = 1_000;

    /// <summary>The longest entity or property name, in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 256;

    /// <summary>The largest value of one field: 16 MiB.</summary>
    public const int MaxValueBytes = 16 << 20;

    /// <summary>Writes a push.</summary>
    public static void WritePush(SyncPush push, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(push);
        var writer = new MessagePackWriter(output);
        writer.WriteMapHeader(5);
        WriteHeader(ref writer, "push");
        writer.Write("replica");
        WriteReplica(ref writer, push.Replica);
        writer.Write("batch");
        writer.Write(push.Batch);
        writer.Write("changes");
        WriteChanges(ref writer, push.Changes);
        writer.Flush();
    }

    /// <summary>Writes the answer to a push.</summary>
    public static void WritePushResult(SyncPushResult result, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(result);
        var writer = new MessagePackWriter(output);
        writer.WriteMapHeader(4);
        WriteHeader(ref writer, "pushed");
        writer.Write("batch");
        writer.Write(result.Batch);
        writer.Write("refused");
        writer.WriteArrayHeader(result.Refused.Count);
        foreach (SyncRefusal refusal in result.Refused)
        {
            writer.WriteArrayHeader(3);
            writer.Write(refusal.Index);
            writer.Write(refusal.Reason);
            writer.Write(refusal.Permanent);
        }

        writer.Flush();
    }

    /// <summary>Writes a pull request.</summary>
    public static void WritePullRequest(SyncPullRequest request, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(request);
        var writer = new MessagePackWriter(output);
        writer.WriteMapHeader(6);
        WriteHeader(ref writer, "pull");
        writer.Write("replica");
        WriteReplica(ref writer, request.Replica);
        writer.Write("cursor");
        writer.Write(request.Cursor);
        writer.Write("max");
        writer.Write(request.MaxChanges);
        writer.Write("maxBytes");
        writer.Write(request.MaxBytes);
        writer.Flush();
    }

    /// <summary>Writes the answer to a pull.</summary>
    public static void WritePullResult(SyncPullResult result, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(result);
        var writer = new MessagePackWriter(output);
        writer.WriteMapHeader(5);
        WriteHeader(ref writer, "changes");
        writer.Write("changes");
        WriteChanges(ref writer, result.Changes);
        writer.Write("cursor");
        writer.Write(result.Cursor);
        writer.Write("more");
        writer.Write(result.More);
        writer.Flush();
    }

    /// <summary>Reads a push.</summary>
    /// <exception cref="SyncFormatException">The message is not a well-formed push within the limits.</exception>
    public static SyncPush ReadPush(ReadOnlyMemory<byte> message)
    {
        Guid replica = default;
        long batch = -1;
        IReadOnlyList<SyncChange>? changes = null;
        ReadMessage(message, "push", (string key, ref MessagePackReader reader) =>
        {
            switch (key)
            {
                case "replica": replica = ReadReplica(ref reader, "the replica"); return true;
                case "batch": batch = reader.ReadInt64(); return true;
                case "changes": changes = ReadChanges(ref reader, message); return true;
                default: return false;
            }
        });
        return new SyncPush(
            replica == Guid.Empty ? throw new SyncFormatException("The push names no replica.") : replica,
            batch < 0 ? throw new SyncFormatException("The push has no batch number.") : batch,
            changes ?? throw new SyncFormatException("The push has no changes array."));
    }

    /// <summary>Reads the answer to a push.</summary>
    /// <exception cref="SyncFormatException">The message is not a well-formed answer.</exception>
    public static SyncPushResult ReadPushResult(ReadOnlyMemory<byte> message)
    {
        long batch = -1;
        List<SyncRefusal>? refused = null;
        ReadMessage(message, "pushed", (string key, ref MessagePackReader reader) =>
        {
            switch (key)
            {
                case "batch":
                    batch = reader.ReadInt64();
                    return true;
                case "refused":
                    int count = Count(reader.ReadArrayHeader(), MaxChanges, "refusals");
                    refused = new List<SyncRefusal>(count);
                    for (int i = 0; i < count; i++)
                    {
                        if (reader.ReadArrayHeader() != 3)
                        {
                            throw new SyncFormatException($"Refusal {i} is not [index, reason, permanent].");
                        }

                        refused.Add(new SyncRefusal(reader.ReadInt32(), reader.ReadString() ?? string.Empty, reader.ReadBoolean()));
                    }

                    return true;
                default:
                    return false;
            }
        });
        return new SyncPushResult(batch < 0 ? throw new SyncFormatException("The answer to the push has no batch number.") : batch, refused ?? []);
    }

    /// <summary>Reads a pull request.</summary>
    /// <exception cref="SyncFormatException">The message is not a well-formed pull request.</exception>
    public static SyncPullRequest ReadPullRequest(ReadOnlyMemory<byte> message)
    {
        Guid replica = default;
        string? cursor = null;
        int max = 0;
        int maxBytes = SyncOptions.DefaultMaxBatchBytes;
        ReadMessage(message, "pull", (string key, ref MessagePackReader reader) =>
        {
            switch (key)
            {
                case "replica": replica = ReadReplica(ref reader, "the replica"); return true;
                case "cursor": cursor = reader.ReadString(); return true;
                case "max": max = reader.ReadInt32(); return true;
                case "maxBytes": maxBytes = reader.ReadInt32(); return true;
                default: return false;
            }
        });
        return new SyncPullRequest(
            replica == Guid.Empty ? throw new SyncFormatException("The pull request names no replica.") : replica,
            cursor,
            max is > 0 and <= MaxChanges ? max : throw new SyncFormatException($"The pull request asks for {max} changes; between 1 and {MaxChanges:N0} may be asked for."),
            maxBytes is > 0 and <= MaxMessageBytes ? maxBytes : throw new SyncFormatException($"The pull request asks for {maxBytes} bytes; between 1 and {MaxMessageBytes:N0} may be asked for."));
    }

    /// <summary>Reads the answer to a pull.</summary>
    /// <exception cref="SyncFormatException">The message is not a well-formed answer within the limits.</exception>
    public static SyncPullResult ReadPullResult(ReadOnlyMemory<byte> message)
    {
        IReadOnlyList<SyncChange>? changes = null;
        string? cursor = null;
        bool more = false;
        ReadMessage(message, "changes", (string key, ref MessagePackReader reader) =>
        {
            switch (key)
            {
                case "changes": changes = ReadChanges(ref reader, message); return true;
                case "cursor": cursor = reader.ReadString(); return true;
                case "more": more = reader.ReadBoolean(); return true;
                default: return false;
            }
        });
        return new SyncPullResult(
            changes ?? throw new SyncFormatException("The pulled batch has no changes array."),
            cursor ?? throw new SyncFormatException("The pulled batch has no cursor."),
            more);
    }

    private delegate bool MessageField(string key, ref MessagePackReader reader);

    private static void WriteHeader(ref MessagePackWriter writer, string type)
    {
        writer.Write("v");
        writer.Write(Version);
        writer.Write("t");
        writer.Write(type);
    }

    private static void ReadMessage(ReadOnlyMemory<byte> message, string type, MessageField field)
    {
        if (message.Length > MaxMessageBytes)
        {
            throw new SyncFormatException($"The message is {message.Length:N0} bytes; a sync message is at most {MaxMessageBytes:N0}.");
        }

        try
        {
            var reader = new MessagePackReader(message.Span);
            if (reader.NextMessagePackType != MessagePackType.Map)
            {
                throw new SyncFormatException("The message is not a MessagePack map.");
            }

            int count = reader.ReadMapHeader();
            int version = -1;
            string? actual = null;
            for (int i = 0; i < count; i++)
            {
                string key = ReadName(ref reader, "a message key");
                if (key == "v")
                {
                    version = reader.ReadInt32();
                    if (version != Version)
                    {
                        throw new SyncFormatException($"The message is of sync wire version {version}; this Repos reads version {Version}.");
                    }
                }
                else if (key == "t")
                {
                    actual = reader.ReadString();
                    if (actual != type)
                    {
                        throw new SyncFormatException($"The message is a '{actual}', not a '{type}'.");
                    }
                }
                else if (!field(key, ref reader))
                {
                    reader.Skip();
                }
            }

            if (version < 0 || actual is null)
            {
                throw new SyncFormatException("The message has no version and type ('v' and 't').");
            }

            if (!reader.End)
            {
                throw new SyncFormatException($"The message has {reader.Remaining:N0} bytes after its end.");
            }
        }
        catch (ReposFormatException e)
        {
            throw new SyncFormatException($"The message is not well-formed MessagePack: {e.Message}", e);
        }
    }

    private static void WriteChanges(ref MessagePackWriter writer, IReadOnlyList<SyncChange> changes)
    {
        writer.WriteArrayHeader(changes.Count);
        foreach (SyncChange change in changes)
        {
            int count = 4 + (change.Inserted is null ? 0 : 1) + (change.Deleted is null ? 0 : 1);
            writer.WriteMapHeader(count);
            writer.Write("e");
            writer.Write(change.Entity);
            writer.Write("s");
            writer.Write(change.SchemaVersion);
            writer.Write("k");
            WriteKey(ref writer, change.Key);
            if (change.Inserted is { } inserted)
            {
                writer.Write("i");
                WriteStamp(ref writer, inserted);
            }

            if (change.Deleted is { } deleted)
            {
                writer.Write("d");
                WriteStamp(ref writer, deleted);
            }

            writer.Write("f");
            writer.WriteArrayHeader(change.Fields.Count);
            foreach (SyncFieldValue field in change.Fields)
            {
                writer.WriteArrayHeader(4);
                writer.Write(field.Name);
                writer.Write(field.Stamp.Value);
                WriteReplica(ref writer, field.Stamp.Replica);
                writer.WriteRaw(field.Value.Span);
            }
        }
    }

    private static List<SyncChange> ReadChanges(ref MessagePackReader reader, ReadOnlyMemory<byte> message)
    {
        int count = Count(reader.ReadArrayHeader(), MaxChanges, "changes");
        var changes = new List<SyncChange>(Math.Min(count, 1024));
        var names = new NameCache();
        for (int index = 0; index < count; index++)
        {
            try
            {
                changes.Add(ReadChange(ref reader, message, names));
            }
            catch (Exception e) when (e is SyncFormatException or ReposFormatException)
            {
                throw new SyncFormatException($"Change {index} of the batch is malformed: {e.Message}", e) { ChangeIndex = index };
            }
        }

        return changes;
    }

    /// <summary>
    /// About how many bytes a change takes in a message: its values and names and a fixed allowance for the rest.
    /// Batches are cut by it (<see cref="SyncOptions.MaxBatchBytes"/>), so it errs high, never by much.
    /// </summary>
    public static int EstimateSize(SyncChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        int size = 96 + System.Text.Encoding.UTF8.GetMaxByteCount(change.Entity.Length) + (change.Key.Text?.Length * 3 ?? change.Key.Bytes?.Length ?? 9);
        foreach (SyncFieldValue field in change.Fields)
        {
            size += 40 + (field.Name.Length * 3) + field.Value.Length;
        }

        return size;
    }

    private static SyncChange ReadChange(ref MessagePackReader reader, ReadOnlyMemory<byte> message, NameCache names)
    {
        if (reader.NextMessagePackType != MessagePackType.Map)
        {
            throw new SyncFormatException("it is not a map.");
        }

        string? entity = null;
        int schema = 1;
        SyncKey? key = null;
        SyncStamp? inserted = null;
        SyncStamp? deleted = null;
        List<SyncFieldValue> fields = [];
        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            switch (ReadName(ref reader, "a change key"))
            {
                case "e":
                    entity = names.Read(ref reader, "the entity name", -1);
                    break;
                case "s":
                    schema = reader.ReadInt32();
                    if (schema < 1)
                    {
                        throw new SyncFormatException($"its schema version is {schema}.");
                    }

                    break;
                case "k":
                    key = ReadKey(ref reader);
                    break;
                case "i":
                    inserted = ReadStamp(ref reader, "its insert stamp");
                    break;
                case "d":
                    deleted = ReadStamp(ref reader, "its tombstone stamp");
                    break;
                case "f":
                    int fieldCount = Count(reader.ReadArrayHeader(), MaxFields, "fields");
                    fields = new List<SyncFieldValue>(fieldCount);
                    for (int i = 0; i < fieldCount; i++)
                    {
                        if (reader.ReadArrayHeader() != 4)
                        {
                            throw new SyncFormatException($"field {i} is not [name, stamp, replica, value].");
                        }

                        string name = names.Read(ref reader, "the name of field", i);
                        long value = reader.ReadInt64();
                        Guid replica = ReadReplica(ref reader, "the replica of field", name);
                        SyncStamp stamp = Stamp(value, replica, "field", name);
                        int start = (int)reader.Consumed;
                        int length = reader.ReadRaw().Length;
                        if (length > MaxValueBytes)
                        {
                            throw new SyncFormatException($"the value of field {name} is {length:N0} bytes; a value is at most {MaxValueBytes:N0}.");
                        }

                        foreach (SyncFieldValue earlier in fields)
                        {
                            if (earlier.Name == name)
                            {
                                throw new SyncFormatException($"it holds field {name} twice.");
                            }
                        }

                        fields.Add(new SyncFieldValue(name, stamp, message.Slice(start, length)));
                    }

                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new SyncChange
        {
            Entity = entity ?? throw new SyncFormatException("it names no entity."),
            SchemaVersion = schema,
            Key = key ?? throw new SyncFormatException($"its {entity} has no key."),
            Inserted = inserted,
            Deleted = deleted,
            Fields = fields,
        };
    }

    private static void WriteKey(ref MessagePackWriter writer, SyncKey key)
    {
        if (key.IsInteger)
        {
            writer.Write(key.Integer);
        }
        else if (key.Text is { } text)
        {
            writer.Write(text);
        }
        else
        {
            writer.Write(key.Bytes!);
        }
    }

    private static SyncKey ReadKey(ref MessagePackReader reader)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Integer:
                return SyncKey.From(reader.ReadInt64());
            case MessagePackType.String:
                ReadOnlySpan<byte> utf8 = reader.ReadStringSpan();
                return utf8.Length > ReposLimits.MaxKeyBytes
                    ? throw new SyncFormatException($"its key is {utf8.Length:N0} bytes; a key is at most {ReposLimits.MaxKeyBytes:N0}.")
                    : SyncKey.From(Strict(utf8, "its key"));
            case MessagePackType.Binary:
                ReadOnlySpan<byte> bytes = reader.ReadBinarySpan();
                return bytes.Length > ReposLimits.MaxKeyBytes
                    ? throw new SyncFormatException($"its key is {bytes.Length:N0} bytes; a key is at most {ReposLimits.MaxKeyBytes:N0}.")
                    : SyncKey.From(bytes.ToArray());
            default:
                throw new SyncFormatException($"its key is a {reader.NextMessagePackType}, not an integer, string or bytes.");
        }
    }

    private static void WriteStamp(ref MessagePackWriter writer, SyncStamp stamp)
    {
        writer.WriteArrayHeader(2);
        writer.Write(stamp.Value);
        WriteReplica(ref writer, stamp.Replica);
    }

    private static SyncStamp ReadStamp(ref MessagePackReader reader, string what)
    {
        if (reader.ReadArrayHeader() != 2)
        {
            throw new SyncFormatException($"{what} is not [stamp, replica].");
        }

        long value = reader.ReadInt64();
        return Stamp(value, ReadReplica(ref reader, what), what);
    }

    // `what` and `of` make the description an error names (`of` is left out when null), put together only on an error.
    private static SyncStamp Stamp(long value, Guid replica, string what, string? of = null) =>
        value > 0 && value >> SyncStamp.CounterBits <= SyncStamp.MaxMilliseconds
            ? new SyncStamp(value, replica)
            : throw new SyncFormatException($"the stamp of {Describe(what, of)} is {value}, not a stamp.");

    private static string Describe(string what, string? of) => of is null ? what : $"{what} {of}";

    private static void WriteReplica(ref MessagePackWriter writer, Guid replica)
    {
        Span<byte> bytes = stackalloc byte[16];
        replica.TryWriteBytes(bytes, bigEndian: true, out _);
        writer.Write(bytes);
    }

    private static Guid ReadReplica(ref MessagePackReader reader, string what, string? of = null)
    {
        if (reader.NextMessagePackType != MessagePackType.Binary)
        {
            throw new SyncFormatException($"{Describe(what, of)} is a {reader.NextMessagePackType}, not a 16-byte replica id.");
        }

        ReadOnlySpan<byte> bytes = reader.ReadBinarySpan();
        return bytes.Length == 16 ? new Guid(bytes, bigEndian: true) : throw new SyncFormatException($"{Describe(what, of)} is {bytes.Length} bytes, not a 16-byte replica id.");
    }

    private static string ReadName(ref MessagePackReader reader, string what)
    {
        if (reader.NextMessagePackType != MessagePackType.String)
        {
            throw new SyncFormatException($"{what} is a {reader.NextMessagePackType}, not a string.");
        }

        ReadOnlySpan<byte> utf8 = reader.ReadStringSpan();
        if (utf8.Length is 0 or > MaxNameBytes)
        {
            throw new SyncFormatException($"{what} is {utf8.Length} bytes long; a name is 1 to {MaxNameBytes} bytes.");
        }

        return Strict(utf8, what);
    }

    private static string Strict(ReadOnlySpan<byte> utf8, string what)
    {
        try
        {
            return StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            throw new SyncFormatException($"{what} is not valid UTF-8.");
        }
    }

    private static int Count(int count, int max, string what) =>
        count <= max ? count : throw new SyncFormatException($"it holds {count:N0} {what}; at most {max:N0} are allowed.");

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The names a message repeats (entities and properties, in every change), each checked and decoded once per
    /// message: a name read before comes back as the same string.
    /// </summary>
    private sealed class NameCache
    {
        private const int MaxNames = 64;
        private readonly List<(byte[] Utf8, string Name)> _names = [];

        /// <summary>Reads a name; <paramref name="field"/> (when not -1) numbers the field it names, for errors.</summary>
        public string Read(ref MessagePackReader reader, string what, int field)
        {
            if (reader.NextMessagePackType != MessagePackType.String)
            {
                throw new SyncFormatException($"{Describe(what, field)} is a {reader.NextMessagePackType}, not a string.");
            }

            ReadOnlySpan<byte> utf8 = reader.ReadStringSpan();
            foreach ((byte[] known, string name) in _names)
            {
                if (utf8.SequenceEqual(known))
                {
                    return name;
                }
            }

            if (utf8.Length is 0 or > MaxNameBytes)
            {
                throw new SyncFormatException($"{Describe(what, field)} is {utf8.Length} bytes long; a name is 1 to {MaxNameBytes} bytes.");
            }

            string read = Strict(utf8, what);
            if (_names.Count < MaxNames)
            {
                _names.Add((utf8.ToArray(), read));
            }

            return read;
        }

        private static string Describe(string what, int field) => field < 0 ? what : $"{what} {field}";
    }
}

/// <summary>A sync message is malformed, of an unknown version, or over a limit: nothing of it was applied.</summary>
public sealed class SyncFormatException : ReposException
{
    /// <summary>Creates the exception.</summary>
    public SyncFormatException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <summary>The place in its batch of the change that is malformed, or -1 when the problem is the message itself.</summary>
    public int ChangeIndex { get; init; } = -1;
}
