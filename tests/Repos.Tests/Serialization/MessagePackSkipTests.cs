using Repos.Serialization;
using static Repos.Tests.Serialization.MessagePackTestHelpers;

namespace Repos.Tests.Serialization;

public class MessagePackSkipTests
{
    internal static byte[] ComplexValue() => Encode((ref MessagePackWriter w) =>
    {
        w.WriteMapHeader(6);
        w.Write(1);
        w.Write("a string that is longer than thirty-one bytes, so str8");
        w.Write(2);
        w.WriteArrayHeader(20);
        for (var i = 0; i < 20; i++)
        {
            w.Write(i * 7919L * (i % 2 == 0 ? 1 : -1) * 1_000_000L);
        }

        w.Write(3);
        w.Write(new byte[300]);
        w.Write(4);
        w.WriteMapHeader(2);
        w.Write(1.5);
        w.Write(DateTime.UnixEpoch.AddDays(20_000).AddTicks(1));
        w.Write(-1.5f);
        w.WriteExtensionFormat(9, new byte[70_000]);
        w.Write(5);
        w.WriteArrayHeader(3);
        w.WriteNil();
        w.Write(true);
        w.Write(ulong.MaxValue);
        w.Write(6);
        w.WriteArrayHeader(1);
        w.WriteArrayHeader(1);
        w.WriteMapHeader(0);
    });

    [Fact]
    public void Skip_ComplexValue_ConsumesExactlyIt()
    {
        var value = ComplexValue();
        var bytes = value.Concat(new byte[] { 0x2a }).ToArray();
        var reader = new MessagePackReader(bytes);
        reader.Skip();
        Assert.Equal(value.Length, reader.Consumed);
        Assert.Equal(42, reader.ReadInt32());
    }

    [Fact]
    public void ReadRaw_ComplexValue_ReturnsItsBytes()
    {
        var value = ComplexValue();
        var bytes = new byte[] { 0x01 }.Concat(value).Concat(new byte[] { 0xc3 }).ToArray();
        var reader = new MessagePackReader(bytes);
        Assert.Equal(1, reader.ReadInt32());
        Assert.Equal(value, reader.ReadRaw().ToArray());
        Assert.True(reader.ReadBoolean());
        Assert.True(reader.End);
    }

    [Fact]
    public void Skip_EveryScalarFormat_ConsumesItsSize()
    {
        var bytes = Encode((ref MessagePackWriter w) =>
        {
            w.WriteNil();
            w.Write(false);
            w.Write(-5);
            w.Write(200);
            w.Write(-200);
            w.Write(70_000);
            w.Write(-70_000);
            w.Write(long.MaxValue);
            w.Write(long.MinValue);
            w.Write(1f);
            w.Write(1d);
            w.Write("x");
            w.Write(new string('y', 40));
            w.Write(new string('y', 400));
            w.Write(new byte[3]);
            w.WriteExtensionFormat(1, new byte[1]);
            w.WriteExtensionFormat(1, new byte[2]);
            w.WriteExtensionFormat(1, new byte[4]);
            w.WriteExtensionFormat(1, new byte[8]);
            w.WriteExtensionFormat(1, new byte[16]);
            w.WriteExtensionFormat(1, new byte[5]);
        });
        var reader = new MessagePackReader(bytes);
        var count = 0;
        while (!reader.End)
        {
            reader.Skip();
            count++;
        }

        Assert.Equal(21, count);
    }

    [Fact]
    public void Skip_MillionNestedArrays_DoesNotOverflowTheStack()
    {
        const int depth = 1_000_000;
        var bytes = new byte[depth + 1];
        bytes.AsSpan(0, depth).Fill(0x91);
        bytes[depth] = 0x2a;
        var reader = new MessagePackReader(bytes);
        reader.Skip();
        Assert.True(reader.End);

        // Same depth, but truncated: an error, not a crash.
        var truncated = bytes[..depth];
        var e = ReadFails(truncated, (ref MessagePackReader r) =>
        {
            r.Skip();
            return 0;
        });
        Assert.Equal("fixarray count 1 exceeds the 0 bytes left", e.Reason);
        Assert.Equal(depth - 1, e.Offset);
    }

    [Fact]
    public void Skip_MillionNestedMaps_DoesNotOverflowTheStack()
    {
        const int depth = 1_000_000;
        var bytes = new byte[depth * 2 + 1];
        for (var i = 0; i < depth; i++)
        {
            bytes[i * 2] = 0x81;
            bytes[i * 2 + 1] = 0x00;
        }

        bytes[^1] = 0xc0;
        var reader = new MessagePackReader(bytes);
        Assert.Equal(bytes, reader.ReadRaw().ToArray());
    }

    [Theory]
    [InlineData("dbffffff00000102", "str32 length 4294967040 exceeds the 3 bytes left")]
    [InlineData("c7ff01", "ext8 length 255 exceeds the 0 bytes left")]
    [InlineData("dfffffffff", "map32 count 4294967295 (8589934590 keys and values) exceeds the 0 bytes left")]
    [InlineData("cd01", "unexpected end of input reading uint16")]
    [InlineData("939393", "fixarray count 3 exceeds the 2 bytes left")]
    [InlineData("929101", "unexpected end of input: 2 more values expected in 1 bytes")]
    public void Skip_Malformed_SaysWhy(string hex, string reason)
    {
        Assert.Equal(reason, ReadFails(FromHex(hex), (ref MessagePackReader r) =>
        {
            r.Skip();
            return 0;
        }).Reason);
    }
}
