using System.Buffers;
using Repos.Serialization;
using static Repos.Tests.Serialization.MessagePackTestHelpers;

namespace Repos.Tests.Serialization;

public class MessagePackWriterTests
{
    [Theory]
    [InlineData(0L, "00")]
    [InlineData(1L, "01")]
    [InlineData(127L, "7f")]
    [InlineData(128L, "cc80")]
    [InlineData(255L, "ccff")]
    [InlineData(256L, "cd0100")]
    [InlineData(65535L, "cdffff")]
    [InlineData(65536L, "ce00010000")]
    [InlineData(2147483647L, "ce7fffffff")]
    [InlineData(4294967295L, "ceffffffff")]
    [InlineData(4294967296L, "cf0000000100000000")]
    [InlineData(long.MaxValue, "cf7fffffffffffffff")]
    [InlineData(-1L, "ff")]
    [InlineData(-32L, "e0")]
    [InlineData(-33L, "d0df")]
    [InlineData(-128L, "d080")]
    [InlineData(-129L, "d1ff7f")]
    [InlineData(-32768L, "d18000")]
    [InlineData(-32769L, "d2ffff7fff")]
    [InlineData(-2147483648L, "d280000000")]
    [InlineData(-2147483649L, "d3ffffffff7fffffff")]
    [InlineData(long.MinValue, "d38000000000000000")]
    public void WriteInt64_UsesShortestEncoding(long value, string expected)
    {
        Assert.Equal(expected, Hex(Encode((ref MessagePackWriter w) => w.Write(value))));
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            Assert.Equal(expected, Hex(Encode((ref MessagePackWriter w) => w.Write((int)value))));
        }

        if (value is >= short.MinValue and <= short.MaxValue)
        {
            Assert.Equal(expected, Hex(Encode((ref MessagePackWriter w) => w.Write((short)value))));
        }

        if (value is >= sbyte.MinValue and <= sbyte.MaxValue)
        {
            Assert.Equal(expected, Hex(Encode((ref MessagePackWriter w) => w.Write((sbyte)value))));
        }
    }

    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(127UL, "7f")]
    [InlineData(128UL, "cc80")]
    [InlineData(255UL, "ccff")]
    [InlineData(256UL, "cd0100")]
    [InlineData(65535UL, "cdffff")]
    [InlineData(65536UL, "ce00010000")]
    [InlineData(4294967295UL, "ceffffffff")]
    [InlineData(4294967296UL, "cf0000000100000000")]
    [InlineData(ulong.MaxValue, "cfffffffffffffffff")]
    public void WriteUInt64_UsesShortestUnsignedEncoding(ulong value, string expected)
    {
        Assert.Equal(expected, Hex(Encode((ref MessagePackWriter w) => w.Write(value))));
        if (value <= uint.MaxValue)
        {
            Assert.Equal(expected, Hex(Encode((ref MessagePackWriter w) => w.Write((uint)value))));
        }

        if (value <= ushort.MaxValue)
        {
            Assert.Equal(expected, Hex(Encode((ref MessagePackWriter w) => w.Write((ushort)value))));
        }

        if (value <= byte.MaxValue)
        {
            Assert.Equal(expected, Hex(Encode((ref MessagePackWriter w) => w.Write((byte)value))));
        }
    }

    [Fact]
    public void WriteNilAndBooleans_WriteTheirCodes()
    {
        Assert.Equal("c0c2c3", Hex(Encode((ref MessagePackWriter w) =>
        {
            w.WriteNil();
            w.Write(false);
            w.Write(true);
        })));
    }

    [Fact]
    public void WriteFloats_WriteBigEndianIeeeBits()
    {
        Assert.Equal("ca3f800000", Hex(Encode((ref MessagePackWriter w) => w.Write(1f))));
        Assert.Equal("cb3ff0000000000000", Hex(Encode((ref MessagePackWriter w) => w.Write(1d))));
        Assert.Equal("cb8000000000000000", Hex(Encode((ref MessagePackWriter w) => w.Write(-0d))));
        Assert.Equal("ca80000000", Hex(Encode((ref MessagePackWriter w) => w.Write(-0f))));
        Assert.Equal("cb7ff0000000000000", Hex(Encode((ref MessagePackWriter w) => w.Write(double.PositiveInfinity))));
        Assert.Equal("cbfff0000000000000", Hex(Encode((ref MessagePackWriter w) => w.Write(double.NegativeInfinity))));
        Assert.Equal("ca7f800000", Hex(Encode((ref MessagePackWriter w) => w.Write(float.PositiveInfinity))));
    }

    [Theory]
    [InlineData(0, "a0")]
    [InlineData(31, "bf")]
    [InlineData(32, "d920")]
    [InlineData(255, "d9ff")]
    [InlineData(256, "da0100")]
    [InlineData(65535, "daffff")]
    [InlineData(65536, "db00010000")]
    public void WriteString_ChoosesHeaderByUtf8Length(int length, string expectedHeader)
    {
        var value = new string('x', length);
        var bytes = Encode((ref MessagePackWriter w) => w.Write(value));
        Assert.StartsWith(expectedHeader, Hex(bytes.AsSpan(0, Math.Min(bytes.Length, 5))), StringComparison.Ordinal);
        Assert.Equal(expectedHeader.Length / 2 + length, bytes.Length);
        Assert.All(bytes[(expectedHeader.Length / 2)..], b => Assert.Equal((byte)'x', b));

        // The same header from the span and UTF-8 overloads and from WriteStringHeader.
        Assert.Equal(bytes, Encode((ref MessagePackWriter w) => w.Write(value.AsSpan())));
        Assert.Equal(bytes, Encode((ref MessagePackWriter w) => w.WriteString(System.Text.Encoding.UTF8.GetBytes(value))));
        Assert.Equal(expectedHeader, Hex(Encode((ref MessagePackWriter w) => w.WriteStringHeader(length))));
    }

    [Fact]
    public void WriteString_MultiByteLengthCountsBytesNotChars()
    {
        // 11 chars of 3 bytes each: 33 bytes, so str8 although 11 chars would fit a fixstr.
        var value = new string('€', 11);
        var bytes = Encode((ref MessagePackWriter w) => w.Write(value));
        Assert.Equal("d921e282ac", Hex(bytes.AsSpan(0, 5)));
        Assert.Equal(35, bytes.Length);

        // 10 chars of 3 bytes: 30 bytes, a fixstr.
        bytes = Encode((ref MessagePackWriter w) => w.Write(new string('€', 10)));
        Assert.Equal(0xbe, bytes[0]);
    }

    [Fact]
    public void WriteString_EmojiSurrogatePairIsOneFourByteSequence()
    {
        Assert.Equal("a4f09f8dba", Hex(Encode((ref MessagePackWriter w) => w.Write("🍺"))));
    }

    [Fact]
    public void WriteString_LoneSurrogateIsWrittenAsReplacementCharacter()
    {
        Assert.Equal("a461efbfbd", Hex(Encode((ref MessagePackWriter w) => w.Write("a\ud800"))));
        Assert.Equal("a3efbfbd", Hex(Encode((ref MessagePackWriter w) => w.Write("\udc00"))));
    }

    [Fact]
    public void WriteNullStringAndNullBytes_WriteNil()
    {
        Assert.Equal("c0c0", Hex(Encode((ref MessagePackWriter w) =>
        {
            w.Write((string?)null);
            w.Write((byte[]?)null);
        })));
    }

    [Theory]
    [InlineData(0, "c400")]
    [InlineData(255, "c4ff")]
    [InlineData(256, "c50100")]
    [InlineData(65535, "c5ffff")]
    [InlineData(65536, "c600010000")]
    public void WriteBin_ChoosesHeaderByLength(int length, string expectedHeader)
    {
        var value = new byte[length];
        var bytes = Encode((ref MessagePackWriter w) => w.Write(value));
        Assert.Equal(expectedHeader, Hex(bytes.AsSpan(0, expectedHeader.Length / 2)));
        Assert.Equal(expectedHeader.Length / 2 + length, bytes.Length);
        Assert.Equal(expectedHeader, Hex(Encode((ref MessagePackWriter w) => w.WriteBinHeader(length))));
    }

    [Theory]
    [InlineData(0u, "90", "80")]
    [InlineData(15u, "9f", "8f")]
    [InlineData(16u, "dc0010", "de0010")]
    [InlineData(65535u, "dcffff", "deffff")]
    [InlineData(65536u, "dd00010000", "df00010000")]
    [InlineData(uint.MaxValue, "ddffffffff", "dfffffffff")]
    public void WriteCollectionHeaders_ChooseHeaderByCount(uint count, string array, string map)
    {
        Assert.Equal(array, Hex(Encode((ref MessagePackWriter w) => w.WriteArrayHeader(count))));
        Assert.Equal(map, Hex(Encode((ref MessagePackWriter w) => w.WriteMapHeader(count))));
        if (count <= int.MaxValue)
        {
            Assert.Equal(array, Hex(Encode((ref MessagePackWriter w) => w.WriteArrayHeader((int)count))));
            Assert.Equal(map, Hex(Encode((ref MessagePackWriter w) => w.WriteMapHeader((int)count))));
        }
    }

    [Theory]
    [InlineData(1, "d405")]
    [InlineData(2, "d505")]
    [InlineData(4, "d605")]
    [InlineData(8, "d705")]
    [InlineData(16, "d805")]
    [InlineData(0, "c70005")]
    [InlineData(3, "c70305")]
    [InlineData(17, "c71105")]
    [InlineData(255, "c7ff05")]
    [InlineData(256, "c8010005")]
    [InlineData(65535, "c8ffff05")]
    [InlineData(65536, "c90001000005")]
    public void WriteExtension_UsesFixExtWhenLengthMatches(int length, string expectedHeader)
    {
        var data = new byte[length];
        var bytes = Encode((ref MessagePackWriter w) => w.WriteExtensionFormat(5, data));
        Assert.Equal(expectedHeader, Hex(bytes.AsSpan(0, expectedHeader.Length / 2)));
        Assert.Equal(expectedHeader.Length / 2 + length, bytes.Length);
    }

    [Fact]
    public void WriteExtension_NegativeTypeCodeIsWrittenAsItsByte()
    {
        Assert.Equal("d4ff2a", Hex(Encode((ref MessagePackWriter w) => w.WriteExtensionFormat(-1, [42]))));
    }

    [Fact]
    public void Write_AcceptsStackAllocatedSpans()
    {
        // The span parameters are scoped: a stackalloc'd span can be passed to a writer held by ref.
        Assert.Equal("c403070707a27a7aa3070707d40a07070707", Hex(Encode((ref MessagePackWriter w) =>
        {
            Span<byte> local = stackalloc byte[3];
            local.Fill(7);
            w.Write((ReadOnlySpan<byte>)local);
            Span<char> chars = stackalloc char[2];
            chars.Fill('z');
            w.Write((ReadOnlySpan<char>)chars);
            w.WriteString(local);
            w.WriteExtensionFormat(10, local[..1]);
            w.WriteRaw(local);
        })));
    }

    [Theory]
    [InlineData(11, 1)] // 13 bytes
    [InlineData(29, 1)] // 31 bytes: fixstr
    [InlineData(30, 2)] // 32 bytes: str8
    [InlineData(253, 2)] // 255 bytes
    [InlineData(254, 3)] // 256 bytes: str16
    [InlineData(1024, 3)] // the last single-pass length
    [InlineData(1025, 3)] // counted first
    [InlineData(65_533, 3)] // 65,535 bytes
    [InlineData(65_534, 5)] // 65,536 bytes: str32
    public void WriteString_MixedWidthCharsAroundTheSinglePassLimits_RoundTrip(int chars, int headerSize)
    {
        // ASCII with one 3-byte char: the byte length differs from the char count.
        var value = "€" + new string('q', chars - 1);
        var bytes = Encode((ref MessagePackWriter w) => w.Write(value));
        Assert.Equal(headerSize + chars + 2, bytes.Length);
        Assert.Equal(value, ReadAll(bytes, (ref MessagePackReader r) => r.ReadString()));
    }

    [Fact]
    public void WriteRaw_CopiesBytesUnchanged()
    {
        Assert.Equal("010203", Hex(Encode((ref MessagePackWriter w) => w.WriteRaw([1, 2, 3]))));
    }

    [Fact]
    public void Flush_IsIdempotentAndCommitsEverything()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.Write(1);
        Assert.Equal(0, buffer.WrittenCount);
        writer.Flush();
        writer.Flush();
        Assert.Equal(1, buffer.WrittenCount);
        writer.Write(2);
        writer.Flush();
        Assert.Equal("0102", Hex(buffer.WrittenSpan));
    }

    [Fact]
    public void Write_ManyValuesThroughSmallBuffers_GrowsAndKeepsOrder()
    {
        var buffer = new ArrayBufferWriter<byte>(1);
        var writer = new MessagePackWriter(buffer);
        for (var i = 0; i < 10_000; i++)
        {
            writer.Write(i);
            writer.Write(new string('a', i % 300));
        }

        writer.Flush();
        var reader = new MessagePackReader(buffer.WrittenSpan);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.Equal(i, reader.ReadInt32());
            Assert.Equal(i % 300, reader.ReadString()!.Length);
        }

        Assert.True(reader.End);
    }

    [Fact]
    public void NegativeLengths_AreArgumentErrors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Encode((ref MessagePackWriter w) => w.WriteArrayHeader(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Encode((ref MessagePackWriter w) => w.WriteMapHeader(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Encode((ref MessagePackWriter w) => w.WriteBinHeader(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Encode((ref MessagePackWriter w) => w.WriteStringHeader(-1)));
    }
}
