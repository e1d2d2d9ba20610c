using System.Diagnostics.CodeAnalysis;

namespace Repos.Serialization;

/// <summary>
/// Throws the <see cref="ReposFormatException"/>s of the MessagePack reader. Kept out of line so the
/// hot read paths stay small enough to inline.
/// </summary>
internal static class MessagePackErrors
{
    [DoesNotReturn]
    public static void ThrowTypeMismatch(MessagePackType expected, byte code, long offset) =>
        throw new ReposFormatException(
            $"expected {expected} but found {MessagePackCode.ToMessagePackType(code)} (0x{code:x2})", offset);

    [DoesNotReturn]
    public static void ThrowEndOfInput(string what, long offset) =>
        throw new ReposFormatException($"unexpected end of input reading {what}", offset);

    [DoesNotReturn]
    public static void ThrowEndOfInput(byte code, long offset) => ThrowEndOfInput(MessagePackCode.ToFormatName(code), offset);

    [DoesNotReturn]
    public static void ThrowOverflow(byte code, long value, string target, long offset) =>
        throw new ReposFormatException($"{MessagePackCode.ToFormatName(code)} {value} does not fit in {target}", offset);

    [DoesNotReturn]
    public static void ThrowOverflow(byte code, ulong value, string target, long offset) =>
        throw new ReposFormatException($"{MessagePackCode.ToFormatName(code)} {value} does not fit in {target}", offset);

    [DoesNotReturn]
    public static void ThrowLengthExceedsInput(byte code, ulong length, long left, long offset) =>
        throw new ReposFormatException($"{MessagePackCode.ToFormatName(code)} length {length} exceeds the {left} bytes left", offset);

    [DoesNotReturn]
    public static void ThrowCountExceedsInput(byte code, ulong count, long left, long offset)
    {
        var map = MessagePackCode.ToMessagePackType(code) == MessagePackType.Map;
        throw new ReposFormatException(
            map
                ? $"{MessagePackCode.ToFormatName(code)} count {count} ({count * 2} keys and values) exceeds the {left} bytes left"
                : $"{MessagePackCode.ToFormatName(code)} count {count} exceeds the {left} bytes left",
            offset);
    }

    [DoesNotReturn]
    public static void ThrowTooLong(byte code, ulong length, long offset) =>
        throw new ReposFormatException($"{MessagePackCode.ToFormatName(code)} length {length} exceeds the maximum of {int.MaxValue}", offset);

    [DoesNotReturn]
    public static void ThrowTooDeep(int limit, long offset) =>
        throw new ReposFormatException($"objects nest deeper than {limit} levels (ReposLimits.MaxDepth)", offset);

    [DoesNotReturn]
    public static void ThrowInvalidUtf8(long offset) => throw new ReposFormatException("invalid UTF-8 in string", offset);

    [DoesNotReturn]
    public static void ThrowInvalidCode(byte code, long offset) =>
        throw new ReposFormatException($"invalid format code 0x{code:x2}", offset);

    [DoesNotReturn]
    public static void ThrowNotTimestamp(sbyte typeCode, long offset) =>
        throw new ReposFormatException(
            $"expected timestamp extension (type {MessagePackCode.TimestampExtensionType}) but found type {typeCode}", offset);

    [DoesNotReturn]
    public static void ThrowTimestampLength(uint length, long offset) =>
        throw new ReposFormatException($"timestamp extension length {length} is invalid (4, 8 or 12)", offset);

    [DoesNotReturn]
    public static void ThrowTimestampNanoseconds(uint nanoseconds, long offset) =>
        throw new ReposFormatException($"timestamp nanoseconds {nanoseconds} out of range", offset);

    [DoesNotReturn]
    public static void ThrowTimestampOutOfRange(MessagePackTimestamp timestamp, long offset) =>
        throw new ReposFormatException(
            $"timestamp {timestamp.Seconds}.{timestamp.Nanoseconds:D9} s is outside the range of DateTime", offset);
}
