using System.Buffers;
using Repos.Serialization;

namespace Repos.Tests.Serialization;

/// <summary>Writes with a <see cref="MessagePackWriter"/> passed by reference.</summary>
internal delegate void WriteAction(ref MessagePackWriter writer);

/// <summary>Reads with a <see cref="MessagePackReader"/> passed by reference.</summary>
internal delegate T ReadFunc<T>(ref MessagePackReader reader);

internal static class MessagePackTestHelpers
{
    public static byte[] Encode(WriteAction write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    public static byte[] FromHex(string hex) => Convert.FromHexString(hex.Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal));

    /// <summary>Reads one value from <paramref name="bytes"/> and checks that it used all of them.</summary>
    public static T ReadAll<T>(byte[] bytes, ReadFunc<T> read)
    {
        var reader = new MessagePackReader(bytes);
        var value = read(ref reader);
        Assert.True(reader.End, $"{reader.Remaining} bytes left after reading {Hex(bytes)}");
        Assert.Equal(bytes.Length, reader.Consumed);
        return value;
    }

    public static ReposFormatException ReadFails<T>(byte[] bytes, ReadFunc<T> read)
    {
        try
        {
            var reader = new MessagePackReader(bytes);
            read(ref reader);
        }
        catch (ReposFormatException e)
        {
            return e;
        }

        throw new Xunit.Sdk.XunitException($"expected ReposFormatException reading {Hex(bytes)}");
    }

    /// <summary>A sequence of one segment per part, split at the given offsets.</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, params int[] cuts)
    {
        var parts = new List<byte[]>();
        var previous = 0;
        foreach (var cut in cuts.Append(bytes.Length))
        {
            parts.Add(bytes[previous..cut]);
            previous = cut;
        }

        return Segments(parts);
    }

    public static ReadOnlySequence<byte> Segments(IReadOnlyList<byte[]> parts)
    {
        if (parts.Count == 1)
        {
            return new ReadOnlySequence<byte>(parts[0]);
        }

        var first = new Segment(parts[0], 0);
        var last = first;
        for (var i = 1; i < parts.Count; i++)
        {
            last = last.Append(parts[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data, long runningIndex)
        {
            Memory = data;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] data)
        {
            var next = new Segment(data, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
