using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text;
using Repos.Serialization;
using MpcExtensionHeader = MessagePack.ExtensionHeader;
using MpcReader = MessagePack.MessagePackReader;
using MpcWriter = MessagePack.MessagePackWriter;

namespace Repos.Tests.Serialization;

/// <summary>An extension value other than a timestamp: its type code and data.</summary>
internal sealed record ExtensionValue(sbyte TypeCode, byte[] Data);

/// <summary>A map in the order its entries are written (keys may be of any MessagePack type).</summary>
internal sealed record MapValue(IReadOnlyList<KeyValuePair<object?, object?>> Entries);

/// <summary>Writes with MessagePack-CSharp's writer passed by reference.</summary>
internal delegate void TheirWriteAction(ref MpcWriter writer);

/// <summary>
/// MessagePack values as plain .NET objects, for comparing what two implementations write and read: nil is
/// null; integers are any integer type; float 32 is <see cref="float"/> and float 64 <see cref="double"/>;
/// str is <see cref="string"/>, bin <c>byte[]</c>; arrays are lists; maps are <see cref="MapValue"/> (or a
/// dictionary, as MessagePack-CSharp's deserializer returns them); the timestamp extension is
/// <see cref="DateTime"/> and any other extension <see cref="ExtensionValue"/>. <see cref="Render"/> turns a
/// value into a canonical text, equal for two values exactly when they encode the same MessagePack value.
/// </summary>
internal static class MessagePackValues
{
    private const byte Float32Code = 0xca;
    private const byte UInt64Code = 0xcf;
    private const sbyte TimestampType = -1;

    /// <summary>The canonical text of a value: the type family and the exact value (floats bit for bit).</summary>
    public static string Render(object? value)
    {
        var builder = new StringBuilder();
        Render(builder, value);
        return builder.ToString();
    }

    /// <summary>Fails, showing where they part, unless the two values render the same.</summary>
    public static void AssertSame(object? expected, object? actual, string what)
    {
        string left = Render(expected), right = Render(actual);
        if (left != right)
        {
            int at = left.AsSpan().CommonPrefixLength(right);
            int from = Math.Max(0, at - 60);
            throw new Xunit.Sdk.XunitException(
                $"{what}: the values part at character {at} of {left.Length}:\n" +
                $"expected ...{left.Substring(from, Math.Min(left.Length - from, 160))}\n" +
                $"actual   ...{right.Substring(from, Math.Min(right.Length - from, 160))}");
        }
    }

    /// <summary>The value with every map's entries sorted by the rendering of their keys.</summary>
    public static object? SortMaps(object? value) => value switch
    {
        MapValue map => new MapValue(map.Entries
            .Select(e => new KeyValuePair<object?, object?>(e.Key, SortMaps(e.Value)))
            .OrderBy(e => Render(e.Key), StringComparer.Ordinal)
            .ToList()),
        IDictionary dictionary => SortMaps(ToMap(dictionary)),
        IList list and not byte[] => list.Cast<object?>().Select(SortMaps).ToList(),
        _ => value,
    };

    /// <summary>Reads one value with Repos' reader and checks that it used all the bytes.</summary>
    public static object? ReadAllWithRepos(ReadOnlySpan<byte> bytes)
    {
        var reader = new MessagePackReader(bytes);
        object? value = Read(ref reader);
        Assert.True(reader.End, $"Repos' reader left {reader.Remaining} of {bytes.Length} bytes");
        return value;
    }

    /// <summary>Reads one value with MessagePack-CSharp's reader and checks that it used all the bytes.</summary>
    public static object? ReadAllWithMessagePackCSharp(ReadOnlyMemory<byte> bytes)
    {
        var reader = new MpcReader(bytes);
        object? value = Read(ref reader);
        Assert.True(reader.End, $"MessagePack-CSharp's reader left {bytes.Length - reader.Consumed} of {bytes.Length} bytes");
        return value;
    }

    public static object? Read(ref MessagePackReader reader)
    {
        byte code = reader.NextCode;
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return null;
            case MessagePackType.Boolean:
                return reader.ReadBoolean();
            case MessagePackType.Integer:
                return code == UInt64Code ? reader.ReadUInt64() : reader.ReadInt64();
            case MessagePackType.Float:
                return code == Float32Code ? (object)reader.ReadSingle() : reader.ReadDouble();
            case MessagePackType.String:
                return reader.ReadString();
            case MessagePackType.Binary:
                return reader.ReadBinarySpan().ToArray();
            case MessagePackType.Array:
            {
                int count = reader.ReadArrayHeader();
                var items = new List<object?>(count);
                for (int i = 0; i < count; i++)
                {
                    items.Add(Read(ref reader));
                }

                return items;
            }

            case MessagePackType.Map:
            {
                int count = reader.ReadMapHeader();
                var entries = new List<KeyValuePair<object?, object?>>(count);
                for (int i = 0; i < count; i++)
                {
                    object? key = Read(ref reader);
                    entries.Add(new(key, Read(ref reader)));
                }

                return new MapValue(entries);
            }

            case MessagePackType.Extension:
            {
                // A copy of the reader peeks at the timestamp; the extension is consumed as raw data either way.
                MessagePackReader peek = reader;
                ExtensionResult extension = reader.ReadExtensionFormat();
                if (extension.TypeCode == TimestampType && TryReadTimestamp(ref peek, out DateTime time))
                {
                    return time;
                }

                return new ExtensionValue(extension.TypeCode, extension.Data.ToArray());
            }

            default:
                throw new InvalidOperationException($"Repos' reader: unknown code 0x{code:x2}");
        }
    }

    public static object? Read(ref MpcReader reader)
    {
        byte code = reader.NextCode;
        switch (reader.NextMessagePackType)
        {
            case MessagePack.MessagePackType.Nil:
                reader.ReadNil();
                return null;
            case MessagePack.MessagePackType.Boolean:
                return reader.ReadBoolean();
            case MessagePack.MessagePackType.Integer:
                return code == UInt64Code ? reader.ReadUInt64() : reader.ReadInt64();
            case MessagePack.MessagePackType.Float:
                return code == Float32Code ? (object)reader.ReadSingle() : reader.ReadDouble();
            case MessagePack.MessagePackType.String:
                return reader.ReadString();
            case MessagePack.MessagePackType.Binary:
                return reader.ReadBytes()!.Value.ToArray();
            case MessagePack.MessagePackType.Array:
            {
                int count = reader.ReadArrayHeader();
                var items = new List<object?>(count);
                for (int i = 0; i < count; i++)
                {
                    items.Add(Read(ref reader));
                }

                return items;
            }

            case MessagePack.MessagePackType.Map:
            {
                int count = reader.ReadMapHeader();
                var entries = new List<KeyValuePair<object?, object?>>(count);
                for (int i = 0; i < count; i++)
                {
                    object? key = Read(ref reader);
                    entries.Add(new(key, Read(ref reader)));
                }

                return new MapValue(entries);
            }

            case MessagePack.MessagePackType.Extension:
            {
                MpcReader peek = reader.CreatePeekReader();
                MessagePack.ExtensionResult extension = reader.ReadExtensionFormat();
                if (extension.TypeCode == TimestampType && TryReadTimestamp(ref peek, out DateTime time))
                {
                    return time;
                }

                return new ExtensionValue(extension.TypeCode, extension.Data.ToArray());
            }

            default:
                throw new InvalidOperationException($"MessagePack-CSharp's reader: unknown code 0x{code:x2}");
        }
    }

    /// <summary>Writes a value with Repos' writer, each .NET type through its own overload.</summary>
    public static void Write(ref MessagePackWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNil(); break;
            case bool v: writer.Write(v); break;
            case sbyte v: writer.Write(v); break;
            case byte v: writer.Write(v); break;
            case short v: writer.Write(v); break;
            case ushort v: writer.Write(v); break;
            case int v: writer.Write(v); break;
            case uint v: writer.Write(v); break;
            case long v: writer.Write(v); break;
            case ulong v: writer.Write(v); break;
            case float v: writer.Write(v); break;
            case double v: writer.Write(v); break;
            case string v: writer.Write(v); break;
            case byte[] v: writer.Write(v); break;
            case DateTime v: writer.Write(v); break;
            case ExtensionValue v: writer.WriteExtensionFormat(v.TypeCode, v.Data); break;
            case MapValue v:
                writer.WriteMapHeader(v.Entries.Count);
                foreach (KeyValuePair<object?, object?> entry in v.Entries)
                {
                    Write(ref writer, entry.Key);
                    Write(ref writer, entry.Value);
                }

                break;
            case IList v:
                writer.WriteArrayHeader(v.Count);
                foreach (object? item in v)
                {
                    Write(ref writer, item);
                }

                break;
            default: throw new ArgumentException($"no MessagePack form for {value.GetType()}", nameof(value));
        }
    }

    /// <summary>Writes a value with MessagePack-CSharp's writer, each .NET type through its own overload.</summary>
    public static void Write(ref MpcWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNil(); break;
            case bool v: writer.Write(v); break;
            case sbyte v: writer.Write(v); break;
            case byte v: writer.Write(v); break;
            case short v: writer.Write(v); break;
            case ushort v: writer.Write(v); break;
            case int v: writer.Write(v); break;
            case uint v: writer.Write(v); break;
            case long v: writer.Write(v); break;
            case ulong v: writer.Write(v); break;
            case float v: writer.Write(v); break;
            case double v: writer.Write(v); break;
            case string v: writer.Write(v); break;
            case byte[] v: writer.Write(v); break;
            case DateTime v: writer.Write(v); break;
            case ExtensionValue v:
                writer.WriteExtensionFormatHeader(new MpcExtensionHeader(v.TypeCode, v.Data.Length));
                writer.WriteRaw(v.Data);
                break;
            case MapValue v:
                writer.WriteMapHeader(v.Entries.Count);
                foreach (KeyValuePair<object?, object?> entry in v.Entries)
                {
                    Write(ref writer, entry.Key);
                    Write(ref writer, entry.Value);
                }

                break;
            case IList v:
                writer.WriteArrayHeader(v.Count);
                foreach (object? item in v)
                {
                    Write(ref writer, item);
                }

                break;
            default: throw new ArgumentException($"no MessagePack form for {value.GetType()}", nameof(value));
        }
    }

    public static byte[] EncodeWithRepos(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        Write(ref writer, value);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] EncodeWithMessagePackCSharp(object? value) => EncodeWithMessagePackCSharp((ref MpcWriter writer) => Write(ref writer, value));

    public static byte[] EncodeWithMessagePackCSharp(TheirWriteAction write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MpcWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The same value in the shapes MessagePack-CSharp's serializer takes and returns: maps as
    /// <c>Dictionary&lt;object, object?&gt;</c>, arrays as <c>object?[]</c>.
    /// </summary>
    public static object? ToSerializerObject(object? value) => value switch
    {
        MapValue map => map.Entries.ToDictionary(e => e.Key!, e => ToSerializerObject(e.Value)),
        IList list and not byte[] => list.Cast<object?>().Select(ToSerializerObject).ToArray(),
        _ => value,
    };

    /// <summary>
    /// A random value up to <paramref name="depth"/> containers deep, drawn to reach every family and
    /// header size often: integers near the width boundaries, floats of any bit pattern, strings of every
    /// script, timestamps of all three sizes.
    /// </summary>
    /// <param name="random">The seeded source.</param>
    /// <param name="depth">How many more levels of arrays and maps may nest.</param>
    /// <param name="extensions">False to leave out extensions other than the timestamp (MessagePack-CSharp's deserializer refuses them).</param>
    public static object? RandomValue(Random random, int depth, bool extensions)
    {
        switch (random.Next(depth > 0 ? 12 : 10))
        {
            case 0: return null;
            case 1: return random.Next(2) == 0;
            case 2:
            case 3: return RandomInteger(random);
            case 4: return random.Next(2) == 0
                ? BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue))
                : BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue));
            case 5: return RandomString(random, RandomLength(random));
            case 6: return SampleData.Random(RandomLength(random), random.Next());
            case 7: return RandomTime(random);
            case 8: return extensions
                ? new ExtensionValue((sbyte)random.Next(0, 128), SampleData.Random(RandomLength(random), random.Next()))
                : RandomString(random, random.Next(8));
            case 9: return RandomInteger(random);
            case 10:
            {
                int count = RandomCount(random);
                var items = new List<object?>(count);
                for (int i = 0; i < count; i++)
                {
                    items.Add(RandomValue(random, depth - 1, extensions));
                }

                return items;
            }

            default:
            {
                // Keys are integers or strings and unique, so the map is also a dictionary.
                int count = RandomCount(random);
                var keys = new HashSet<string>(StringComparer.Ordinal);
                var entries = new List<KeyValuePair<object?, object?>>(count);
                while (entries.Count < count)
                {
                    object key = random.Next(2) == 0 ? RandomInteger(random) : RandomString(random, random.Next(12));
                    if (keys.Add(Render(key)))
                    {
                        entries.Add(new(key, RandomValue(random, depth - 1, extensions)));
                    }
                }

                return new MapValue(entries);
            }
        }
    }

    /// <summary>An integer of a random .NET width: a boundary of some width, or a random value of some magnitude.</summary>
    public static object RandomInteger(Random random)
    {
        long[] boundaries = [0, 127, 128, 255, 256, 65535, 65536, uint.MaxValue, (long)uint.MaxValue + 1, long.MaxValue,
                             -1, -32, -33, -128, -129, -32768, -32769, int.MinValue, (long)int.MinValue - 1, long.MinValue];
        long value = random.Next(3) == 0
            ? boundaries[random.Next(boundaries.Length)] + random.Next(-1, 2)
            : random.NextInt64() >> random.Next(64) ^ (random.Next(2) == 0 ? 0 : -1);
        if (random.Next(8) == 0)
        {
            return ulong.MaxValue - (ulong)random.Next(1000);
        }

        // The narrowest .NET type that holds it, half the time, so every overload of both writers runs.
        if (random.Next(2) == 0)
        {
            return value;
        }

        return value switch
        {
            >= sbyte.MinValue and <= sbyte.MaxValue => (sbyte)value,
            >= 0 and <= byte.MaxValue => (byte)value,
            >= short.MinValue and <= short.MaxValue => (short)value,
            >= 0 and <= ushort.MaxValue => (ushort)value,
            >= int.MinValue and <= int.MaxValue => (int)value,
            >= 0 and <= uint.MaxValue => (uint)value,
            _ => value,
        };
    }

    /// <summary>
    /// A UTC time in one of the timestamp's three sizes: whole seconds after 1970 (32-bit), with a fraction
    /// before 2514 (64-bit), or before 1970 or after 2514 (96-bit).
    /// </summary>
    public static DateTime RandomTime(Random random)
    {
        long unixEpoch = DateTime.UnixEpoch.Ticks;
        long ticks = random.Next(3) switch
        {
            0 => unixEpoch + (random.NextInt64(0, uint.MaxValue) * TimeSpan.TicksPerSecond),
            1 => unixEpoch + random.NextInt64(0, (1L << 34) * TimeSpan.TicksPerSecond),
            _ => random.Next(2) == 0 ? random.NextInt64(0, unixEpoch) : random.NextInt64(unixEpoch + ((1L << 34) * TimeSpan.TicksPerSecond), DateTime.MaxValue.Ticks + 1),
        };
        return new DateTime(Math.Min(ticks, DateTime.MaxValue.Ticks), DateTimeKind.Utc);
    }

    /// <summary>A string of <paramref name="length"/> chars mixing ASCII, Latin, Greek, CJK and emoji (surrogate pairs).</summary>
    public static string RandomString(Random random, int length)
    {
        var builder = new StringBuilder(length + 1);
        int script = random.Next(4);
        while (builder.Length < length)
        {
            switch (random.Next(8) < 6 ? script : random.Next(4))
            {
                case 0: builder.Append((char)random.Next(0x20, 0x7f)); break;
                case 1: builder.Append((char)random.Next(0xa0, 0x800)); break;
                case 2: builder.Append((char)random.Next(0x3040, 0x9fff)); break;
                default: builder.Append(char.ConvertFromUtf32(random.Next(0x1f300, 0x1faff))); break;
            }
        }

        return builder.ToString();
    }

    private static int RandomLength(Random random) => random.Next(10) switch
    {
        < 5 => random.Next(0, 40),
        < 8 => random.Next(200, 300),
        < 9 => random.Next(0, 2000),
        _ => random.Next(65_000, 70_000),
    };

    private static int RandomCount(Random random) => random.Next(8) == 0 ? random.Next(14, 20) : random.Next(0, 6);

    private static bool TryReadTimestamp(ref MessagePackReader reader, out DateTime time)
    {
        time = default;
        try
        {
            return reader.ReadTimestamp().TryToDateTime(out time);
        }
        catch (ReposFormatException)
        {
            return false;
        }
    }

    private static bool TryReadTimestamp(ref MpcReader reader, out DateTime time)
    {
        try
        {
            time = reader.ReadDateTime();
            return true;
        }
        catch (Exception e) when (e is MessagePack.MessagePackSerializationException or ArgumentOutOfRangeException)
        {
            time = default;
            return false;
        }
    }

    private static MapValue ToMap(IDictionary dictionary)
    {
        var entries = new List<KeyValuePair<object?, object?>>(dictionary.Count);
        foreach (DictionaryEntry entry in dictionary)
        {
            entries.Add(new(entry.Key, entry.Value));
        }

        return new MapValue(entries);
    }

    private static void Render(StringBuilder builder, object? value)
    {
        switch (value)
        {
            case null: builder.Append("nil"); break;
            case bool v: builder.Append(v ? "true" : "false"); break;
            case sbyte or byte or short or ushort or int or uint or long or ulong:
                builder.Append("i:").Append(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                break;
            case float v: builder.Append("f32:").Append(BitConverter.SingleToUInt32Bits(v).ToString("x8", CultureInfo.InvariantCulture)); break;
            case double v: builder.Append("f64:").Append(BitConverter.DoubleToUInt64Bits(v).ToString("x16", CultureInfo.InvariantCulture)); break;
            case string v:
                // What any UTF-8 round trip gives: a lone surrogate becomes U+FFFD.
                string text = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(v));
                builder.Append('s').Append(text.Length).Append(':').Append(text);
                break;
            case byte[] v: builder.Append("b:").Append(Convert.ToHexStringLower(v)); break;
            case DateTime v: builder.Append("t:").Append(v.Ticks); break;
            case ExtensionValue v: builder.Append('x').Append(v.TypeCode).Append(':').Append(Convert.ToHexStringLower(v.Data)); break;
            case IDictionary v: Render(builder, ToMap(v)); break;
            case MapValue v:
                builder.Append('{').Append(v.Entries.Count).Append(':');
                foreach (KeyValuePair<object?, object?> entry in v.Entries)
                {
                    Render(builder, entry.Key);
                    builder.Append('=');
                    Render(builder, entry.Value);
                    builder.Append(';');
                }

                builder.Append('}');
                break;
            case IList v:
                builder.Append('[').Append(v.Count).Append(':');
                foreach (object? item in v)
                {
                    Render(builder, item);
                    builder.Append(',');
                }

                builder.Append(']');
                break;
            default: throw new ArgumentException($"no MessagePack form for {value.GetType()}", nameof(value));
        }
    }
}
