using System.Buffers.Binary;
using System.Text;
using Repos.Serialization;
using static Repos.Tests.Serialization.MessagePackTestHelpers;

namespace Repos.Tests.Serialization;

public class MessagePackReaderTests
{
    public static TheoryData<string> BoundaryIntegers() =>
    [
        "0", "1", "127", "128", "255", "256", "32767", "32768", "65535", "65536", "2147483647", "2147483648",
        "4294967295", "4294967296", "9223372036854775807", "18446744073709551615",
        "-1", "-32", "-33", "-128", "-129", "-32768", "-32769", "-2147483648", "-2147483649", "-9223372036854775808",
    ];

    /// <summary>Every integer encoding that can hold <paramref name="value"/>, fixints included.</summary>
    private static IEnumerable<byte[]> AllIntegerEncodings(Int128 value)
    {
        if (value >= 0 && value <= 127)
        {
            yield return [(byte)value];
        }

        if (value >= -32 && value < 0)
        {
            yield return [(byte)(sbyte)value];
        }

        if (value >= 0 && value <= byte.MaxValue)
        {
            yield return [0xcc, (byte)value];
        }

        if (value >= 0 && value <= ushort.MaxValue)
        {
            yield return Prefixed(0xcd, 2, (ulong)value);
        }

        if (value >= 0 && value <= uint.MaxValue)
        {
            yield return Prefixed(0xce, 4, (ulong)value);
        }

        if (value >= 0 && value <= ulong.MaxValue)
        {
            yield return Prefixed(0xcf, 8, (ulong)value);
        }

        if (value >= sbyte.MinValue && value <= sbyte.MaxValue)
        {
            yield return [0xd0, (byte)(sbyte)value];
        }

        if (value >= short.MinValue && value <= short.MaxValue)
        {
            yield return Prefixed(0xd1, 2, (ulong)(long)value);
        }

        if (value >= int.MinValue && value <= int.MaxValue)
        {
            yield return Prefixed(0xd2, 4, (ulong)(long)value);
        }

        if (value >= long.MinValue && value <= long.MaxValue)
        {
            yield return Prefixed(0xd3, 8, (ulong)(long)value);
        }
    }

    private static byte[] Prefixed(byte code, int size, ulong value)
    {
        var bytes = new byte[1 + size];
        bytes[0] = code;
        Span<byte> eight = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(eight, value);
        eight[(8 - size)..].CopyTo(bytes.AsSpan(1));
        return bytes;
    }

    private static void CheckRead<T>(byte[] encoding, Int128 value, Int128 min, Int128 max, ReadFunc<T> read, Func<T, Int128> widen, string target)
    {
        if (value >= min && value <= max)
        {
            Assert.Equal(value, widen(ReadAll(encoding, read)));
        }
        else
        {
            var e = ReadFails(encoding, read);
            Assert.EndsWith($"{value} does not fit in {target}", e.Reason, StringComparison.Ordinal);
            Assert.Equal(0, e.Offset);
        }
    }

    [Theory]
    [MemberData(nameof(BoundaryIntegers))]
    public void ReadIntegers_AcceptEveryEncodingThatFitsAndRejectOverflow(string text)
    {
        var value = Int128.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var encodings = AllIntegerEncodings(value).ToList();
        Assert.NotEmpty(encodings);
        foreach (var encoding in encodings)
        {
            CheckRead(encoding, value, sbyte.MinValue, sbyte.MaxValue, (ref MessagePackReader r) => r.ReadSByte(), v => v, "SByte");
            CheckRead(encoding, value, byte.MinValue, byte.MaxValue, (ref MessagePackReader r) => r.ReadByte(), v => v, "Byte");
            CheckRead(encoding, value, short.MinValue, short.MaxValue, (ref MessagePackReader r) => r.ReadInt16(), v => v, "Int16");
            CheckRead(encoding, value, ushort.MinValue, ushort.MaxValue, (ref MessagePackReader r) => r.ReadUInt16(), v => v, "UInt16");
            CheckRead(encoding, value, int.MinValue, int.MaxValue, (ref MessagePackReader r) => r.ReadInt32(), v => v, "Int32");
            CheckRead(encoding, value, uint.MinValue, uint.MaxValue, (ref MessagePackReader r) => r.ReadUInt32(), v => v, "UInt32");
            CheckRead(encoding, value, long.MinValue, long.MaxValue, (ref MessagePackReader r) => r.ReadInt64(), v => v, "Int64");
            CheckRead(encoding, value, ulong.MinValue, ulong.MaxValue, (ref MessagePackReader r) => r.ReadUInt64(), v => v, "UInt64");
            Assert.Equal((double)value, ReadAll(encoding, (ref MessagePackReader r) => r.ReadDouble()));
        }
    }

    [Theory]
    [MemberData(nameof(BoundaryIntegers))]
    public void WriteThenRead_IntegersRoundTripInTheShortestEncoding(string text)
    {
        var value = Int128.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var bytes = value > long.MaxValue
            ? Encode((ref MessagePackWriter w) => w.Write((ulong)value))
            : Encode((ref MessagePackWriter w) => w.Write((long)value));
        var shortest = AllIntegerEncodings(value).OrderBy(e => e.Length).First();
        Assert.Equal(shortest.Length, bytes.Length);
        if (value >= 0)
        {
            // Positive values always use the positive fixint or uint family.
            Assert.True(bytes[0] <= 0x7f || bytes[0] is >= 0xcc and <= 0xcf, Hex(bytes));
            Assert.Equal((ulong)value, ReadAll(bytes, (ref MessagePackReader r) => r.ReadUInt64()));
        }
        else
        {
            Assert.Equal((long)value, ReadAll(bytes, (ref MessagePackReader r) => r.ReadInt64()));
        }
    }

    [Fact]
    public void ReadInt64_OfMaxUInt64_SaysItDoesNotFit()
    {
        var e = ReadFails(FromHex("cfffffffffffffffff"), (ref MessagePackReader r) => r.ReadInt64());
        Assert.Equal("uint64 18446744073709551615 does not fit in Int64", e.Reason);
        Assert.Equal(0, e.Offset);
    }

    [Fact]
    public void ReadInt32_OfString_NamesBothTypesAndCode()
    {
        var e = ReadFails(FromHex("01a3616263"), (ref MessagePackReader r) =>
        {
            r.ReadInt32();
            return r.ReadInt32();
        });
        Assert.Equal("expected Integer but found String (0xa3)", e.Reason);
        Assert.Equal(1, e.Offset);
        Assert.Contains("offset 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadInt32_Truncated_SaysEndOfInput()
    {
        var e = ReadFails(FromHex("d20102"), (ref MessagePackReader r) => r.ReadInt32());
        Assert.Equal("unexpected end of input reading int32", e.Reason);
        Assert.Equal(0, e.Offset);
    }

    [Fact]
    public void Read_AtEnd_SaysEndOfInput()
    {
        var e = ReadFails([], (ref MessagePackReader r) => r.ReadInt32());
        Assert.StartsWith("unexpected end of input", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FailedTypedRead_LeavesPositionUnchanged()
    {
        var reader = new MessagePackReader(FromHex("a161"));
        var threw = false;
        try
        {
            reader.ReadInt32();
        }
        catch (ReposFormatException)
        {
            threw = true;
        }

        Assert.True(threw);
        Assert.Equal(0, reader.Consumed);
        Assert.Equal("a", reader.ReadString());
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(-0.5)]
    [InlineData(double.MaxValue)]
    [InlineData(double.Epsilon)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(double.NaN)]
    [InlineData(-0.0)]
    public void Double_RoundTripsBitForBit(double value)
    {
        var bytes = Encode((ref MessagePackWriter w) => w.Write(value));
        var read = ReadAll(bytes, (ref MessagePackReader r) => r.ReadDouble());
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(read));
    }

    [Theory]
    [InlineData(0.5f)]
    [InlineData(float.MaxValue)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    [InlineData(float.NaN)]
    [InlineData(-0.0f)]
    public void Single_RoundTripsBitForBitAndWidensToDouble(float value)
    {
        var bytes = Encode((ref MessagePackWriter w) => w.Write(value));
        Assert.Equal(5, bytes.Length);
        var read = ReadAll(bytes, (ref MessagePackReader r) => r.ReadSingle());
        Assert.Equal(BitConverter.SingleToInt32Bits(value), BitConverter.SingleToInt32Bits(read));
        var widened = ReadAll(bytes, (ref MessagePackReader r) => r.ReadDouble());
        Assert.Equal(((double)value).ToString("R", System.Globalization.CultureInfo.InvariantCulture), widened.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ReadSingle_OfFloat64AndIntegers_Converts()
    {
        Assert.Equal(1.5f, ReadAll(Encode((ref MessagePackWriter w) => w.Write(1.5d)), (ref MessagePackReader r) => r.ReadSingle()));
        Assert.Equal(-3f, ReadAll(Encode((ref MessagePackWriter w) => w.Write(-3)), (ref MessagePackReader r) => r.ReadSingle()));
        Assert.Equal(1.8446744073709552E19f, ReadAll(FromHex("cfffffffffffffffff"), (ref MessagePackReader r) => r.ReadSingle()));
    }

    [Fact]
    public void ReadDouble_OfString_IsTypeMismatch()
    {
        Assert.Equal("expected Float but found String (0xa0)", ReadFails(FromHex("a0"), (ref MessagePackReader r) => r.ReadDouble()).Reason);
    }

    [Fact]
    public void NilAndBoolean_ReadBack()
    {
        var reader = new MessagePackReader(FromHex("c0c2c3c0"));
        Assert.True(reader.IsNil);
        Assert.Equal(MessagePackType.Nil, reader.NextMessagePackType);
        reader.ReadNil();
        Assert.False(reader.TryReadNil());
        Assert.Equal(MessagePackType.Boolean, reader.NextMessagePackType);
        Assert.False(reader.ReadBoolean());
        Assert.True(reader.ReadBoolean());
        Assert.True(reader.TryReadNil());
        Assert.True(reader.End);
        Assert.True(reader.IsEnd);
        Assert.Equal(0, reader.Remaining);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(65535)]
    [InlineData(65536)]
    public void String_RoundTripsAtEveryHeaderBoundary(int length)
    {
        var value = string.Create(length, 0, (chars, _) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)('a' + (i % 26));
            }
        });
        var bytes = Encode((ref MessagePackWriter w) => w.Write(value));
        Assert.Equal(value, ReadAll(bytes, (ref MessagePackReader r) => r.ReadString()));
        Assert.Equal(Encoding.UTF8.GetBytes(value), ReadAll(bytes, (ref MessagePackReader r) => r.ReadStringSpan().ToArray()));
    }

    [Theory]
    [InlineData("Кириллица")]
    [InlineData("ひらがな")]
    [InlineData("한글 漢字")]
    [InlineData("🍺❤ emoji 👨‍👩‍👧")]
    [InlineData("mixed ascii and é à ü")]
    public void String_MultiByteUtf8RoundTrips(string value)
    {
        var bytes = Encode((ref MessagePackWriter w) => w.Write(value));
        Assert.Equal(Encoding.UTF8.GetByteCount(value), bytes.Length - (bytes[0] >= 0xd9 ? 2 : 1));
        Assert.Equal(value, ReadAll(bytes, (ref MessagePackReader r) => r.ReadString()));
    }

    [Theory]
    [InlineData("a1ff")]
    [InlineData("a2c328")]
    [InlineData("a3eda080")] // an encoded surrogate
    [InlineData("a2c0af")] // overlong
    [InlineData("a1e2")] // truncated sequence
    [InlineData("d903f09f8d")] // truncated four-byte sequence
    public void ReadString_InvalidUtf8_IsFormatError(string hex)
    {
        var e = ReadFails(FromHex(hex), (ref MessagePackReader r) => r.ReadString());
        Assert.Equal("invalid UTF-8 in string", e.Reason);
        Assert.Equal(0, e.Offset);
    }

    [Fact]
    public void ReadString_NilIsNull_AndTryReadStringSpanReportsNil()
    {
        Assert.Null(ReadAll(FromHex("c0"), (ref MessagePackReader r) => r.ReadString()));
        var reader = new MessagePackReader(FromHex("c0a161"));
        Assert.False(reader.TryReadStringSpan(out var span));
        Assert.True(span.IsEmpty);
        Assert.True(reader.TryReadStringSpan(out span));
        Assert.Equal("61", Hex(span));
        Assert.Equal("expected String but found Nil (0xc0)", ReadFails(FromHex("c0"), (ref MessagePackReader r) => r.ReadStringSpan().Length).Reason);
    }

    [Fact]
    public void ReadString_LengthBeyondInput_SaysHowManyBytesAreLeft()
    {
        var e = ReadFails(FromHex("dbffffff00" + "000102030405060708090a0b"), (ref MessagePackReader r) => r.ReadString());
        Assert.Equal("str32 length 4294967040 exceeds the 12 bytes left", e.Reason);
        Assert.Equal(0, e.Offset);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(65535)]
    [InlineData(65536)]
    public void Binary_RoundTripsAtEveryHeaderBoundary(int length)
    {
        var value = new byte[length];
        new Random(length).NextBytes(value);
        var bytes = Encode((ref MessagePackWriter w) => w.Write(value));
        Assert.Equal(value, ReadAll(bytes, (ref MessagePackReader r) => r.ReadBytes()));
        Assert.Equal(value, ReadAll(bytes, (ref MessagePackReader r) => r.ReadBinarySpan().ToArray()));
        Assert.Equal(MessagePackType.Binary, new MessagePackReader(bytes).NextMessagePackType);
    }

    [Fact]
    public void ReadBytes_NilIsNull_AndStringIsTypeMismatch()
    {
        Assert.Null(ReadAll(FromHex("c0"), (ref MessagePackReader r) => r.ReadBytes()));
        Assert.Equal("expected Binary but found String (0xa0)", ReadFails(FromHex("a0"), (ref MessagePackReader r) => r.ReadBytes()).Reason);
    }

    [Fact]
    public void ReadBytes_Bin32LengthBeyondInput_FailsBeforeAllocating()
    {
        var e = ReadFails(FromHex("c6fffffff0" + "00"), (ref MessagePackReader r) => r.ReadBytes());
        Assert.Equal("bin32 length 4294967280 exceeds the 1 bytes left", e.Reason);
    }

    [Fact]
    public void NestedArraysAndMaps_RoundTrip()
    {
        var bytes = Encode((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(2);
            w.Write("list");
            w.WriteArrayHeader(3);
            w.Write(1);
            w.WriteArrayHeader(0);
            w.WriteMapHeader(1);
            w.Write(7);
            w.WriteNil();
            w.Write(20);
            w.WriteArrayHeader(16);
            for (var i = 0; i < 16; i++)
            {
                w.Write(i * 1000);
            }
        });
        var reader = new MessagePackReader(bytes);
        Assert.Equal(MessagePackType.Map, reader.NextMessagePackType);
        Assert.Equal(2, reader.ReadMapHeader());
        Assert.Equal("list", reader.ReadString());
        Assert.Equal(MessagePackType.Array, reader.NextMessagePackType);
        Assert.Equal(3, reader.ReadArrayHeader());
        Assert.Equal(1, reader.ReadInt32());
        Assert.Equal(0, reader.ReadArrayHeader());
        Assert.Equal(1, reader.ReadMapHeader());
        Assert.Equal(7, reader.ReadInt32());
        reader.ReadNil();
        Assert.Equal(20, reader.ReadInt32());
        Assert.Equal(16, reader.ReadArrayHeader());
        for (var i = 0; i < 16; i++)
        {
            Assert.Equal(i * 1000, reader.ReadInt32());
        }

        Assert.True(reader.End);
    }

    [Theory]
    [InlineData("ddffffffff0102030405060708090a0b0c0d0e0f", "array32 count 4294967295 exceeds the 15 bytes left")]
    [InlineData("dc0003c0c0", "array16 count 3 exceeds the 2 bytes left")]
    [InlineData("9201", "fixarray count 2 exceeds the 1 bytes left")]
    [InlineData("df00000002c0c0c0", "map32 count 2 (4 keys and values) exceeds the 3 bytes left")]
    [InlineData("81c0", "fixmap count 1 (2 keys and values) exceeds the 1 bytes left")]
    public void CollectionHeader_CountBeyondInput_IsRejected(string hex, string reason)
    {
        var bytes = FromHex(hex);
        var e = bytes[0] is 0xdc or 0xdd or >= 0x90 and <= 0x9f
            ? ReadFails(bytes, (ref MessagePackReader r) => r.ReadArrayHeader())
            : ReadFails(bytes, (ref MessagePackReader r) => r.ReadMapHeader());
        Assert.Equal(reason, e.Reason);
        Assert.Equal(0, e.Offset);
    }

    [Theory]
    [InlineData(1, "d4")]
    [InlineData(2, "d5")]
    [InlineData(4, "d6")]
    [InlineData(8, "d7")]
    [InlineData(16, "d8")]
    [InlineData(0, "c7")]
    [InlineData(3, "c7")]
    [InlineData(256, "c8")]
    [InlineData(65536, "c9")]
    public void Extension_RoundTripsEverySize(int length, string code)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        var bytes = Encode((ref MessagePackWriter w) => w.WriteExtensionFormat(42, data));
        Assert.Equal(code, Hex(bytes.AsSpan(0, 1)));
        var reader = new MessagePackReader(bytes);
        Assert.Equal(MessagePackType.Extension, reader.NextMessagePackType);
        var result = reader.ReadExtensionFormat();
        Assert.Equal(42, result.TypeCode);
        Assert.Equal(data, result.Data.ToArray());
        Assert.Equal(new ExtensionHeader(42, (uint)length), result.Header);
        Assert.True(reader.End);

        reader = new MessagePackReader(bytes);
        Assert.Equal(new ExtensionHeader(42, (uint)length), reader.ReadExtensionFormatHeader());
        Assert.Equal(length, reader.Remaining);
    }

    [Fact]
    public void NextMessagePackType_CoversEveryCode()
    {
        var expected = new Dictionary<MessagePackType, int>();
        for (var code = 0; code < 256; code++)
        {
            var type = MessagePackCode.ToMessagePackType((byte)code);
            expected[type] = expected.GetValueOrDefault(type) + 1;
            Assert.Equal(type, new MessagePackReader([(byte)code]).NextMessagePackType);
        }

        Assert.Equal(128 + 32 + 8, expected[MessagePackType.Integer]);
        Assert.Equal(1, expected[MessagePackType.Unknown]);
        Assert.Equal(1, expected[MessagePackType.Nil]);
        Assert.Equal(2, expected[MessagePackType.Boolean]);
        Assert.Equal(2, expected[MessagePackType.Float]);
        Assert.Equal(32 + 3, expected[MessagePackType.String]);
        Assert.Equal(3, expected[MessagePackType.Binary]);
        Assert.Equal(18, expected[MessagePackType.Array]);
        Assert.Equal(18, expected[MessagePackType.Map]);
        Assert.Equal(8, expected[MessagePackType.Extension]);
    }

    [Fact]
    public void NeverUsedCode_IsRejectedByEveryRead()
    {
        Assert.Equal("expected Integer but found Unknown (0xc1)", ReadFails([0xc1], (ref MessagePackReader r) => r.ReadInt32()).Reason);
        Assert.Equal("invalid format code 0xc1", ReadFails([0xc1], (ref MessagePackReader r) =>
        {
            r.Skip();
            return 0;
        }).Reason);
    }
}
