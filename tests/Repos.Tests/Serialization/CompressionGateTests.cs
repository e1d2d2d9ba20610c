using System.Buffers;
using Repos.Internal;
using Repos.Serialization;

namespace Repos.Tests.Serialization;

public class CompressionGateTests
{
    private static readonly byte[] s_compressible = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("steps 8200, sleep 7h; ", 30)));

    private static byte[] Incompressible(int seed)
    {
        var bytes = new byte[300];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void ShouldTry_WhileCompressionPays_EveryWrite()
    {
        var gate = new CompressionGate();
        for (int i = 0; i < 1000; i++)
        {
            Assert.True(gate.ShouldTry(), $"write {i}");
            gate.Record(compressed: true);
        }
    }

    [Fact]
    public void ShouldTry_AfterRunsOfMisses_TriesSparser_UpToOneIn256()
    {
        var gate = new CompressionGate();
        var triesPerThousand = new List<int>();
        for (int block = 0; block < 12; block++)
        {
            int tries = 0;
            for (int i = 0; i < 1000; i++)
            {
                if (gate.ShouldTry())
                {
                    tries++;
                    gate.Record(compressed: false);
                }
            }

            triesPerThousand.Add(tries);
        }

        Assert.True(triesPerThousand[0] < 200, $"first thousand writes: {triesPerThousand[0]} tries, expected the back-off to start after {CompressionGate.MissesBeforeBackOff}");
        Assert.True(triesPerThousand[^1] is >= 1000 / CompressionGate.MaxInterval and <= (1000 / CompressionGate.MaxInterval) + 1, $"last thousand writes: {triesPerThousand[^1]} tries, expected one in {CompressionGate.MaxInterval}");
        for (int i = 1; i < triesPerThousand.Count; i++)
        {
            Assert.True(triesPerThousand[i] <= triesPerThousand[i - 1], $"tries went up from {triesPerThousand[i - 1]} to {triesPerThousand[i]}");
        }
    }

    [Fact]
    public void ShouldTry_OneSuccessAfterBackOff_MakesEveryWriteTryAgain()
    {
        var gate = new CompressionGate();
        for (int i = 0; i < 5000; i++)
        {
            if (gate.ShouldTry())
            {
                gate.Record(compressed: false);
            }
        }

        int skipped = 0;
        while (!gate.ShouldTry())
        {
            skipped++;
        }

        Assert.True(skipped > 0 && skipped < CompressionGate.MaxInterval, $"{skipped} writes skipped before a try");
        gate.Record(compressed: true);
        for (int i = 0; i < 100; i++)
        {
            Assert.True(gate.ShouldTry(), $"write {i} after the success");
            gate.Record(compressed: true);
        }
    }

    [Fact]
    public void Write_IncompressibleBlobs_StopBeingTried_AndCompressibleOnesAreStillCompressed()
    {
        var gate = new CompressionGate();
        var blob = new ArrayBufferWriter<byte>();
        for (int i = 0; i < 100; i++)
        {
            blob.ResetWrittenCount();
            gate.Write(Incompressible(i), 1, blob);
            Assert.False(BlobEnvelope.ReadHeader(blob.WrittenSpan).IsCompressed);
        }

        Assert.False(Enumerable.Range(0, 3).All(_ => gate.ShouldTry()), "the gate still tries every write after 100 misses");

        // Compressible blobs come: within one interval a write tries, and from then on every one is compressed.
        int uncompressed = 0;
        for (int i = 0; i < CompressionGate.MaxInterval + 50; i++)
        {
            blob.ResetWrittenCount();
            gate.Write(s_compressible, 1, blob);
            bool compressed = BlobEnvelope.ReadHeader(blob.WrittenSpan).IsCompressed;
            uncompressed += compressed ? 0 : 1;
            using BlobPayload payload = BlobEnvelope.Read(blob.WrittenSpan);
            Assert.True(s_compressible.AsSpan().SequenceEqual(payload.Span));
        }

        Assert.True(uncompressed < CompressionGate.MaxInterval, $"{uncompressed} compressible blobs stored uncompressed");
        blob.ResetWrittenCount();
        gate.Write(s_compressible, 1, blob);
        Assert.True(BlobEnvelope.ReadHeader(blob.WrittenSpan).IsCompressed);
    }
}
