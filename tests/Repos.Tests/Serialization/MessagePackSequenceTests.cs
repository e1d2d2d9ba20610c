using System.Buffers;
using Repos.Serialization;
using static Repos.Tests.Serialization.MessagePackTestHelpers;

namespace Repos.Tests.Serialization;

public class MessagePackSequenceTests
{
    private static byte[] Sample() => Encode((ref MessagePackWriter w) =>
    {
        w.WriteArrayHeader(17);
        w.Write(-100_000);
        w.Write(ulong.MaxValue);
        w.Write(3.25);
        w.Write(-2.5f);
        w.Write("héllo wörld, a string longer than 31 bytes 🍺");
        w.Write("short");
        w.Write(new byte[] { 1, 2, 3, 4, 5 });
        w.Write(new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddTicks(1234567));
        w.Write(new DateTime(1950, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        w.WriteExtensionFormat(3, [9, 8, 7]);
        w.WriteMapHeader(1);
        w.Write(1);
        w.WriteNil();
        w.Write(true);
        w.Write(short.MinValue);
        w.Write(new string('z', 300));
        w.WriteArrayHeader(2);
        w.Write(1);
        w.Write(2);
        w.Write(12345678901L);
        w.Write(255);
    });

    /// <summary>Reads <see cref="Sample"/> with typed reads into a readable trace.</summary>
    private static string ReadTrace(ref MessagePackReader r)
    {
        var parts = new List<string>
        {
            r.ReadArrayHeader().ToString(System.Globalization.CultureInfo.InvariantCulture),
            r.ReadInt32().ToString(System.Globalization.CultureInfo.InvariantCulture),
            r.ReadUInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            r.ReadDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            r.ReadSingle().ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            r.ReadString()!,
            Hex(r.ReadStringSpan()),
            Hex(r.ReadBinarySpan()),
            r.ReadDateTime().Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture),
            r.ReadTimestamp().ToString(),
        };
        var ext = r.ReadExtensionFormat();
        parts.Add($"{ext.TypeCode}:{Hex(ext.Data)}");
        parts.Add(Hex(r.ReadRaw()));
        parts.Add(r.ReadBoolean().ToString());
        parts.Add(r.ReadInt16().ToString(System.Globalization.CultureInfo.InvariantCulture));
        parts.Add(r.ReadString()!);
        r.Skip();
        parts.Add(r.ReadInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        parts.Add(r.ReadByte().ToString(System.Globalization.CultureInfo.InvariantCulture));
        parts.Add(r.End.ToString());
        parts.Add(r.Consumed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return string.Join("|", parts);
    }

    [Fact]
    public void Sequence_SplitAtEveryPosition_ReadsLikeTheSpan()
    {
        var bytes = Sample();
        var spanReader = new MessagePackReader(bytes);
        var expected = ReadTrace(ref spanReader);
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var reader = new MessagePackReader(Split(bytes, cut));
            Assert.Equal(expected, ReadTrace(ref reader));
        }
    }

    [Fact]
    public void Sequence_SplitIntoSingleBytesAndEmptySegments_ReadsLikeTheSpan()
    {
        var bytes = Sample();
        var spanReader = new MessagePackReader(bytes);
        var expected = ReadTrace(ref spanReader);
        var parts = new List<byte[]>();
        foreach (var b in bytes)
        {
            parts.Add([]);
            parts.Add([b]);
        }

        parts.Add([]);
        var reader = new MessagePackReader(Segments(parts));
        Assert.Equal(expected, ReadTrace(ref reader));
    }

    [Fact]
    public void Sequence_SplitAtEveryPairOfPositions_SkipsAndReadsRaw()
    {
        var bytes = MessagePackSkipTests.ComplexValue()[..0].Concat(Sample()).ToArray();
        for (var a = 0; a <= bytes.Length; a += 3)
        {
            for (var b = a; b <= bytes.Length; b += 7)
            {
                var reader = new MessagePackReader(Split(bytes, a, b));
                Assert.Equal(bytes, reader.ReadRaw().ToArray());
                Assert.True(reader.End);
            }
        }
    }

    [Fact]
    public void Sequence_TruncatedAcrossSegments_IsFormatError()
    {
        var bytes = Encode((ref MessagePackWriter w) => w.Write(long.MinValue));
        var sequence = Split(bytes[..5], 2);
        var e = Assert.Throws<ReposFormatException>(() =>
        {
            var reader = new MessagePackReader(sequence);
            reader.ReadInt64();
        });
        Assert.Equal("unexpected end of input reading int64", e.Reason);
    }

    [Fact]
    public void Sequence_OffsetsInErrorsAreAbsolute()
    {
        var bytes = FromHex("0102a3616263");
        var e = Assert.Throws<ReposFormatException>(() =>
        {
            var reader = new MessagePackReader(Split(bytes, 1, 3));
            reader.ReadInt32();
            reader.ReadInt32();
            reader.ReadInt32();
        });
        Assert.Equal(2, e.Offset);
    }

    [Fact]
    public void Sequence_SingleSegment_UsesTheSpanPath()
    {
        var bytes = Sample();
        var reader = new MessagePackReader(new ReadOnlySequence<byte>(bytes));
        var spanReader = new MessagePackReader(bytes);
        Assert.Equal(ReadTrace(ref spanReader), ReadTrace(ref reader));
    }
}
