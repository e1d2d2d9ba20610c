using System.Buffers.Binary;
using Repos.Serialization;

namespace Repos.Tests.Serialization;

/// <summary>Envelope format 2: payloads compressed with a dictionary, named by its id.</summary>
public sealed class BlobEnvelopeDictionaryTests
{
    private static readonly Lazy<(CompressionDictionary Dictionary, List<byte[]> Payloads)> s_data = new(() =>
    {
        List<byte[]> records = Lz4DictionaryTests.Records(400, 31);
        return (Lz4DictionaryTests.TrainOn(records.Take(200).ToList()), records.Skip(200).ToList());
    });

    private static byte[] Envelope(byte[] payload, CompressionDictionary? dictionary, int schemaVersion = 3)
    {
        var blob = new byte[BlobEnvelope.GetMaxLength(payload.Length)];
        int length = BlobEnvelope.Write(payload, schemaVersion, blob, dictionary);
        return blob.AsSpan(0, length).ToArray();
    }

    /// <summary>The envelope of the <paramref name="index"/>th payload that the dictionary compresses.</summary>
    private static byte[] DictionaryBlob(int index)
    {
        (CompressionDictionary dictionary, List<byte[]> payloads) = s_data.Value;
        return payloads.Select(p => Envelope(p, dictionary)).Where(b => b[0] == BlobEnvelope.DictionaryFormatVersion).ElementAt(index);
    }

    [Fact]
    public void Write_WithDictionary_Format2_NamesTheDictionary_AndReadsBack()
    {
        (CompressionDictionary dictionary, List<byte[]> payloads) = s_data.Value;
        int format2 = 0;
        foreach (byte[] payload in payloads)
        {
            byte[] blob = Envelope(payload, dictionary);
            if (blob[0] != BlobEnvelope.DictionaryFormatVersion)
            {
                // Saving under 30% even with the dictionary: stored as it is, in format 1.
                Assert.Equal(BlobEnvelope.FormatVersion, blob[0]);
                Assert.Equal(payload.Length + BlobEnvelope.HeaderLength, blob.Length);
                continue;
            }

            format2++;
            Assert.Equal(BlobEnvelope.DictionaryFormatVersion, blob[0]);
            Assert.Equal((byte)(BlobFlags.Compressed | BlobFlags.Dictionary), blob[1]);
            Assert.Equal(dictionary.Id, BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(14)));
            Assert.True(blob.Length <= (payload.Length + BlobEnvelope.HeaderLength) * 0.7);

            BlobHeader header = BlobEnvelope.ReadHeader(blob);
            Assert.Equal(dictionary.Id, header.DictionaryId);
            Assert.Equal(BlobEnvelope.DictionaryHeaderLength, header.HeaderLength);
            Assert.Equal(BlobEnvelope.DictionaryFormatVersion, header.Format);
            Assert.Equal(3, header.SchemaVersion);
            using BlobPayload read = BlobEnvelope.Read(blob, id => id == dictionary.Id ? dictionary : null);
            Assert.True(read.Span.SequenceEqual(payload));

            var destination = new byte[payload.Length];
            Assert.Equal(payload.Length, BlobEnvelope.Read(blob, destination, id => dictionary, out _));
            Assert.Equal(payload, destination);
        }

        Assert.True(format2 >= payloads.Count * 3 / 4, $"{format2} of {payloads.Count} compressed with the dictionary");
    }

    [Fact]
    public void Checksum_IsTheSameWithOrWithoutTheDictionary()
    {
        (CompressionDictionary dictionary, List<byte[]> payloads) = s_data.Value;
        byte[] payload = payloads[0];
        byte[] plain = Envelope(payload, null);
        byte[] compressed = Envelope(payload, dictionary);
        Assert.Equal(BlobEnvelope.ReadHeader(plain).Checksum, BlobEnvelope.ReadHeader(compressed).Checksum);
    }

    [Fact]
    public void Read_WithoutDictionaries_OrUnknownDictionary_IsAClearFormatError()
    {
        (CompressionDictionary dictionary, List<byte[]> payloads) = s_data.Value;
        byte[] blob = DictionaryBlob(1);
        var none = Assert.Throws<ReposFormatException>(() => BlobEnvelope.Read(blob).Dispose());
        Assert.Contains("given no dictionaries", none.Message);
        var unknown = Assert.Throws<ReposFormatException>(() => BlobEnvelope.Read(blob, _ => null).Dispose());
        Assert.Contains($"dictionary {dictionary.Id:X8}", unknown.Message);
        Assert.Contains("does not hold", unknown.Message);
    }

    [Fact]
    public void Read_WithAnotherDictionaryOfTheSameId_FailsTheChecksum()
    {
        (CompressionDictionary dictionary, List<byte[]> payloads) = s_data.Value;
        byte[] blob = DictionaryBlob(2);
        CompressionDictionary other = Lz4DictionaryTests.TrainOn(Lz4DictionaryTests.Records(200, 77));

        // A resolver that lies about ids is a caller's bug, said so.
        Assert.Throws<ArgumentException>(() => BlobEnvelope.Read(blob, _ => other).Dispose());

        // A damaged dictionary id, once resolved to a real dictionary, fails the payload checksum or the block.
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(14), other.Id);
        Exception e = Record.Exception(() => BlobEnvelope.Read(blob, id => id == other.Id ? other : null).Dispose());
        Assert.True(e is ReposChecksumException or ReposFormatException, $"got {e}");
    }

    [Fact]
    public void ReadHeader_Format2_InvalidFlagsOrIdOrLength_AreRefused()
    {
        (CompressionDictionary dictionary, List<byte[]> payloads) = s_data.Value;
        byte[] good = DictionaryBlob(3);

        byte[] noDictionaryFlag = good.ToArray();
        noDictionaryFlag[1] = (byte)BlobFlags.Compressed;
        Assert.Contains("not valid in envelope format 2", Assert.Throws<ReposFormatException>(() => BlobEnvelope.ReadHeader(noDictionaryFlag)).Message);

        byte[] format1WithDictionaryFlag = Envelope(payloads[3], null);
        format1WithDictionaryFlag[1] = (byte)(BlobFlags.Compressed | BlobFlags.Dictionary);
        Assert.Throws<ReposFormatException>(() => BlobEnvelope.ReadHeader(format1WithDictionaryFlag));

        byte[] zeroId = good.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(zeroId.AsSpan(14), 0);
        Assert.Contains("dictionary 0", Assert.Throws<ReposFormatException>(() => BlobEnvelope.ReadHeader(zeroId)).Message);

        for (int length = 0; length <= BlobEnvelope.DictionaryHeaderLength; length++)
        {
            Assert.Throws<ReposFormatException>(() => BlobEnvelope.ReadHeader(good.AsSpan(0, length)));
        }

        byte[] format3 = good.ToArray();
        format3[0] = 3;
        Assert.Contains("Unknown blob envelope format 0x03", Assert.Throws<ReposFormatException>(() => BlobEnvelope.ReadHeader(format3)).Message);
    }

    [Fact]
    public void Write_PayloadTheDictionaryCannotShrinkEnough_IsStoredAsItIs_Format1()
    {
        CompressionDictionary dictionary = s_data.Value.Dictionary;
        var random = new Random(5);
        byte[] noise = new byte[300];
        random.NextBytes(noise);
        byte[] blob = Envelope(noise, dictionary);
        Assert.Equal(BlobEnvelope.FormatVersion, blob[0]);
        Assert.Equal((byte)BlobFlags.None, blob[1]);
        using BlobPayload read = BlobEnvelope.Read(blob);
        Assert.True(read.Span.SequenceEqual(noise));
    }

    [Fact]
    public void Write_PayloadTooLargeForTheDictionaryWindow_IsCompressedWithoutIt_Format1()
    {
        CompressionDictionary dictionary = s_data.Value.Dictionary;
        byte[] large = Lz4DictionaryTests.Records(600, 8).SelectMany(p => p).ToArray();
        Assert.True(large.Length > 64 * 1024);
        byte[] blob = Envelope(large, dictionary);
        Assert.Equal(BlobEnvelope.FormatVersion, blob[0]);
        Assert.Equal((byte)BlobFlags.Compressed, blob[1]);
        using BlobPayload read = BlobEnvelope.Read(blob);
        Assert.True(read.Span.SequenceEqual(large));
    }
}
