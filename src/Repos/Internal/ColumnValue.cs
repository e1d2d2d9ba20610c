using System.Buffers.Binary;
using System.ComponentModel;
using System.Globalization;
using System.Text;
using Repos.Storage.Sqlite;

namespace Repos.Internal;

/// <summary>
/// A value as it is stored in a key or index column. The <c>From</c> overloads are the one place where a
/// .NET value becomes a column value, for writes and for query bounds alike, so both always agree.
/// </summary>
/// <remarks>
/// Encodings: integers, booleans, chars and enums as INTEGER (<see cref="ulong"/> and enums backed by it with the
/// top bit flipped); <see cref="DateTime"/> as ticks (local times converted to UTC first); <see cref="DateTimeOffset"/>
/// as UTC ticks; <see cref="DateOnly"/> as its day number; <see cref="TimeOnly"/> and <see cref="TimeSpan"/> as
/// ticks; floating point as an ordered INTEGER (<see cref="FromOrdered(double)"/>); strings as TEXT (folded to upper
/// case for an index that ignores case); <see cref="Guid"/> as a 16-byte BLOB in big-endian order (so byte order is
/// <see cref="Guid.CompareTo(Guid)"/> order); byte arrays as BLOB; null as NULL. Each encoding preserves the order
/// of the values; docs/format.md lists the order of each type.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ColumnValue : IEquatable<ColumnValue>
{
    private readonly long _integer;
    private readonly long _integer2;
    private readonly double _real;
    private readonly object? _reference;

    private ColumnValue(ColumnKind kind, long integer = 0, long integer2 = 0, double real = 0, object? reference = null)
    {
        Kind = kind;
        _integer = integer;
        _integer2 = integer2;
        _real = real;
        _reference = reference;
    }

    /// <summary>SQL NULL.</summary>
    public static ColumnValue Null => default;

    /// <summary>The storage class.</summary>
    public ColumnKind Kind { get; }

    /// <summary>Encodes an integer.</summary>
    public static ColumnValue From(long value) => new(ColumnKind.Integer, value);

    /// <summary>Encodes a nullable integer.</summary>
    public static ColumnValue From(long? value) => value is { } v ? From(v) : Null;

    /// <summary>Encodes a Boolean as 0 or 1.</summary>
    public static ColumnValue From(bool value) => new(ColumnKind.Integer, value ? 1 : 0);

    /// <summary>Encodes a nullable Boolean.</summary>
    public static ColumnValue From(bool? value) => value is { } v ? From(v) : Null;

    /// <summary>Encodes a character as its UTF-16 code unit.</summary>
    public static ColumnValue From(char value) => new(ColumnKind.Integer, value);

    /// <summary>Encodes a nullable character.</summary>
    public static ColumnValue From(char? value) => value is { } v ? From(v) : Null;

    /// <summary>
    /// Encodes an unsigned 64-bit integer (or an enum backed by <see cref="ulong"/>) as an INTEGER with its top bit
    /// flipped, so SQLite's signed comparison of the stored values is the unsigned order of the values.
    /// </summary>
    public static ColumnValue FromUInt64(ulong value) => new(ColumnKind.Integer, unchecked((long)(value ^ 0x8000_0000_0000_0000UL)));

    /// <summary>Encodes a nullable unsigned 64-bit integer.</summary>
    public static ColumnValue FromUInt64(ulong? value) => value is { } v ? FromUInt64(v) : Null;

    /// <summary>
    /// Encodes a floating-point number as an INTEGER that orders as <see cref="double.CompareTo(double)"/> does:
    /// every NaN is one value below negative infinity, -0.0 is 0.0, and all other values keep their order. (A
    /// REAL column cannot do this: SQLite stores NaN as NULL.)
    /// </summary>
    public static ColumnValue FromOrdered(double value)
    {
        if (double.IsNaN(value))
        {
            return new(ColumnKind.Integer, long.MinValue);
        }

        if (value == 0)
        {
            return new(ColumnKind.Integer, 0);
        }

        long bits = BitConverter.DoubleToInt64Bits(value);
        return new(ColumnKind.Integer, bits >= 0 ? bits : bits ^ long.MaxValue);
    }

    /// <summary>Encodes a nullable floating-point number in order (see <see cref="FromOrdered(double)"/>).</summary>
    public static ColumnValue FromOrdered(double? value) => value is { } v ? FromOrdered(v) : Null;

    /// <summary>
    /// Encodes a string for an index that ignores case: its folded form (<see cref="FoldCase"/>), so strings that
    /// differ only in case store the same value.
    /// </summary>
    public static ColumnValue FromIgnoreCase(string? value) => value is null ? Null : new(ColumnKind.Text, reference: FoldCase(value));

    /// <summary>
    /// The form an index that ignores case stores: every character (a surrogate pair as one) replaced by its
    /// invariant upper case (<see cref="Rune.ToUpperInvariant"/>) when <see cref="StringComparison.OrdinalIgnoreCase"/>
    /// holds the two equal, and kept otherwise (U+017F, the long s, upper-cases to S but is not equal to it
    /// ignoring case). So two strings with the same folded form are always equal under OrdinalIgnoreCase.
    /// </summary>
    public static string FoldCase(string value)
    {
        string upper = value.ToUpperInvariant();
        if (upper.Length == value.Length && string.Equals(value, upper, StringComparison.OrdinalIgnoreCase))
        {
            return upper;
        }

        var folded = new System.Text.StringBuilder(value.Length);
        Span<char> buffer = stackalloc char[2];
        for (int i = 0; i < value.Length;)
        {
            if (Rune.DecodeFromUtf16(value.AsSpan(i), out Rune rune, out int used) != System.Buffers.OperationStatus.Done)
            {
                // A lone surrogate has no case.
                folded.Append(value[i]);
                i++;
                continue;
            }

            Rune up = Rune.ToUpperInvariant(rune);
            ReadOnlySpan<char> original = value.AsSpan(i, used);
            int written = up.EncodeToUtf16(buffer);
            folded.Append(original.Equals(buffer[..written], StringComparison.OrdinalIgnoreCase) ? buffer[..written] : original);
            i += used;
        }

        return folded.ToString();
    }

    /// <summary>Encodes a floating-point number.</summary>
    public static ColumnValue From(double value) => new(ColumnKind.Real, real: value);

    /// <summary>Encodes a nullable floating-point number.</summary>
    public static ColumnValue From(double? value) => value is { } v ? From(v) : Null;

    /// <summary>Encodes a string (null as NULL).</summary>
    public static ColumnValue From(string? value) => value is null ? Null : new(ColumnKind.Text, reference: value);

    /// <summary>Text given as UTF-8 bytes, which need not be valid UTF-8 (for range bounds).</summary>
    internal static ColumnValue FromUtf8(byte[] utf8) => new(ColumnKind.Text, reference: utf8);

    /// <summary>Encodes bytes (null as NULL).</summary>
    public static ColumnValue From(byte[]? value) => value is null ? Null : new(ColumnKind.Blob, reference: value);

    /// <summary>Encodes a GUID as 16 big-endian bytes.</summary>
    public static ColumnValue From(Guid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        return new(ColumnKind.Blob, BinaryPrimitives.ReadInt64BigEndian(bytes), BinaryPrimitives.ReadInt64BigEndian(bytes[8..]), reference: GuidMarker.Instance);
    }

    /// <summary>Encodes a nullable GUID.</summary>
    public static ColumnValue From(Guid? value) => value is { } v ? From(v) : Null;

    /// <summary>Encodes a date and time as ticks; local times are converted to UTC first.</summary>
    public static ColumnValue From(DateTime value) =>
        From((value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value).Ticks);

    /// <summary>Encodes a nullable date and time.</summary>
    public static ColumnValue From(DateTime? value) => value is { } v ? From(v) : Null;

    /// <summary>Encodes an instant as UTC ticks, so values order by the instant they denote.</summary>
    public static ColumnValue From(DateTimeOffset value) => From(value.UtcTicks);

    /// <summary>Encodes a nullable instant.</summary>
    public static ColumnValue From(DateTimeOffset? value) => value is { } v ? From(v) : Null;

    /// <summary>Encodes a date as its day number.</summary>
    public static ColumnValue From(DateOnly value) => From((long)value.DayNumber);

    /// <summary>Encodes a nullable date.</summary>
    public static ColumnValue From(DateOnly? value) => value is { } v ? From(v) : Null;

    /// <summary>Encodes a time of day as ticks.</summary>
    public static ColumnValue From(TimeOnly value) => From(value.Ticks);

    /// <summary>Encodes a nullable time of day.</summary>
    public static ColumnValue From(TimeOnly? value) => value is { } v ? From(v) : Null;

    /// <summary>Encodes a duration as ticks.</summary>
    public static ColumnValue From(TimeSpan value) => From(value.Ticks);

    /// <summary>Encodes a nullable duration.</summary>
    public static ColumnValue From(TimeSpan? value) => value is { } v ? From(v) : Null;

    /// <summary>The integer, when this value is an INTEGER.</summary>
    internal long Integer => _integer;

    /// <summary>The GUID, when this value is one (a 16-byte blob encoded from a <see cref="Guid"/>); otherwise null.</summary>
    internal Guid? AsGuid
    {
        get
        {
            if (_reference is not GuidMarker)
            {
                return null;
            }

            Span<byte> bytes = stackalloc byte[16];
            BinaryPrimitives.WriteInt64BigEndian(bytes, _integer);
            BinaryPrimitives.WriteInt64BigEndian(bytes[8..], _integer2);
            return new Guid(bytes, bigEndian: true);
        }
    }

    /// <summary>The bytes, when this value is a blob given as bytes; otherwise null.</summary>
    internal byte[]? Bytes => Kind == ColumnKind.Blob ? _reference as byte[] : null;

    /// <summary>The text, when this value is text given as a string; otherwise null.</summary>
    internal string? Text => _reference as string;

    /// <summary>For text, its length in UTF-8 as it is stored (a lone surrogate as the three bytes of U+FFFD); 0 for any other value.</summary>
    internal int StoredTextLength => Kind != ColumnKind.Text ? 0
        : _reference is byte[] utf8 ? utf8.Length
        : System.Text.Encoding.UTF8.GetByteCount((string)_reference!);

    /// <summary>Whether this value is SQL NULL.</summary>
    public bool IsNull => Kind == ColumnKind.Null;

    /// <summary>The value in column <paramref name="index"/> of a statement's current row.</summary>
    internal static ColumnValue Read(SqliteStatement statement, int index) => statement.ColumnType(index) switch
    {
        SqliteTypes.Integer => From(statement.ColumnInt64(index)),
        SqliteTypes.Float => From(statement.ColumnDouble(index)),
        SqliteTypes.Text => From(statement.ColumnText(index)),
        SqliteTypes.Blob when statement.ColumnBlob(index).Length == 16 => From(new Guid(statement.ColumnBlob(index), bigEndian: true)),
        SqliteTypes.Blob => From(statement.ColumnBlob(index).ToArray()),
        _ => Null,
    };

    /// <summary>
    /// Whether column <paramref name="index"/> of a statement's current row holds exactly this value (as
    /// <see cref="Bind"/> would have stored it), compared without allocating.
    /// </summary>
    internal bool Matches(SqliteStatement statement, int index)
    {
        int type = statement.ColumnType(index);
        return type switch
        {
            SqliteTypes.Integer => Matches(type, statement.ColumnInt64(index), 0, default),
            SqliteTypes.Float => Matches(type, 0, statement.ColumnDouble(index), default),
            SqliteTypes.Text => Matches(type, 0, 0, statement.ColumnTextUtf8(index)),
            SqliteTypes.Blob => Matches(type, 0, 0, statement.ColumnBlob(index)),
            _ => Matches(type, 0, 0, default),
        };
    }

    /// <summary>
    /// Whether a stored column value holds exactly this value: of SQLite storage class <paramref name="type"/>,
    /// with <paramref name="integer"/>, <paramref name="real"/> or <paramref name="bytes"/> (text as UTF-8) as
    /// its class has.
    /// </summary>
    internal bool Matches(int type, long integer, double real, ReadOnlySpan<byte> bytes)
    {
        switch (Kind)
        {
            case ColumnKind.Integer:
                return type == SqliteTypes.Integer && integer == _integer;
            case ColumnKind.Real:
                // SQLite stores NaN as NULL.
                return double.IsNaN(_real)
                    ? type == SqliteTypes.Null
                    : type == SqliteTypes.Float && real.Equals(_real);
            case ColumnKind.Text:
                return type == SqliteTypes.Text && TextEquals(bytes);
            case ColumnKind.Blob when _reference is GuidMarker:
                return type == SqliteTypes.Blob
                    && bytes.Length == 16
                    && BinaryPrimitives.ReadInt64BigEndian(bytes) == _integer
                    && BinaryPrimitives.ReadInt64BigEndian(bytes[8..]) == _integer2;
            case ColumnKind.Blob:
                // An empty array may come back as an empty blob or as NULL, depending on how it was bound.
                byte[] array = (byte[])_reference!;
                return type == SqliteTypes.Blob
                    ? bytes.SequenceEqual(array)
                    : type == SqliteTypes.Null && array.Length == 0;
            default:
                return type == SqliteTypes.Null;
        }
    }

    private bool TextEquals(ReadOnlySpan<byte> utf8)
    {
        if (_reference is byte[] bytes)
        {
            return utf8.SequenceEqual(bytes);
        }

        string text = (string)_reference!;
        if (utf8.Length < text.Length || utf8.Length > text.Length * 3)
        {
            return false;
        }

        byte[]? rented = null;
        Span<byte> buffer = utf8.Length <= 512 ? stackalloc byte[512] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(utf8.Length));
        try
        {
            // Invalid UTF-16 (a lone surrogate) is stored as U+FFFD, as Bind's conversion stores it.
            return System.Text.Encoding.UTF8.TryGetBytes(text, buffer, out int written)
                && buffer[..written].SequenceEqual(utf8);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Binds this value to a statement parameter.</summary>
    internal void Bind(SqliteStatement statement, int index)
    {
        switch (Kind)
        {
            case ColumnKind.Integer:
                statement.BindInt64(index, _integer);
                break;
            case ColumnKind.Real:
                statement.BindDouble(index, _real);
                break;
            case ColumnKind.Text when _reference is byte[] utf8:
                statement.BindText(index, utf8);
                break;
            case ColumnKind.Text:
                statement.BindText(index, (string)_reference!);
                break;
            case ColumnKind.Blob when _reference is GuidMarker:
                Span<byte> bytes = stackalloc byte[16];
                BinaryPrimitives.WriteInt64BigEndian(bytes, _integer);
                BinaryPrimitives.WriteInt64BigEndian(bytes[8..], _integer2);
                statement.BindBlob(index, bytes);
                break;
            case ColumnKind.Blob:
                statement.BindBlob(index, (byte[])_reference!);
                break;
            default:
                statement.BindNull(index);
                break;
        }
    }

    /// <inheritdoc />
    public bool Equals(ColumnValue other) =>
        Kind == other.Kind
        && _integer == other._integer
        && _integer2 == other._integer2
        && _real.Equals(other._real)
        && (_reference is byte[] a && other._reference is byte[] b ? a.AsSpan().SequenceEqual(b) : Equals(_reference, other._reference));

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ColumnValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, _integer, _integer2, _real);

    /// <summary>The value as SQL would show it, for error messages.</summary>
    public override string ToString() => Kind switch
    {
        ColumnKind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        ColumnKind.Real => _real.ToString("R", CultureInfo.InvariantCulture),
        ColumnKind.Text when _reference is byte[] utf8 => $"'{System.Text.Encoding.UTF8.GetString(utf8)}'",
        ColumnKind.Text => $"'{_reference}'",
        ColumnKind.Blob when _reference is GuidMarker => $"x'{_integer:X16}{_integer2:X16}'",
        ColumnKind.Blob => $"x'{Convert.ToHexString((byte[])_reference!)}'",
        _ => "NULL",
    };

    /// <summary>Equality of column values.</summary>
    public static bool operator ==(ColumnValue left, ColumnValue right) => left.Equals(right);

    /// <summary>Inequality of column values.</summary>
    public static bool operator !=(ColumnValue left, ColumnValue right) => !left.Equals(right);

    // Marks a GUID blob held in the two integers, so encoding a GUID allocates nothing.
    private sealed class GuidMarker
    {
        public static readonly GuidMarker Instance = new();
    }
}
