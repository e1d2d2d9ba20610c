using System.Buffers;
using System.Text;
using Repos.Serialization;

namespace Repos.Tests.Serialization;

public class BlobEnvelopeRobustnessTests
{
    private const int Inputs = 1_000_000;

    [Fact]
    public void Read_RandomAndMutatedEnvelopes_EndInPayloadOrFormatException()
    {
        int seed = FuzzSeed.Get(20261121);
        var random = new Random(seed);
        byte[][] originals = CreateOriginals(random);
        var scratch = new byte[8192];
        int accepted = 0;
        int rejected = 0;

        for (int i = 0; i < Inputs; i++)
        {
            byte[] input = i % 10 == 0
                ? RandomInput(random)
                : Mutate(originals[random.Next(originals.Length)], random);

            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                using BlobPayload payload = BlobEnvelope.Read(input);
                accepted++;
                Assert.True(
                    payload.Span.Length <= (long)input.Length * 255,
                    $"seed {seed}, input {i}: payload of {payload.Span.Length} bytes from {input.Length}");
            }
            catch (ReposFormatException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed}, input {i} ({Convert.ToHexString(input)}): {e.GetType().Name} escaped: {e.Message}");
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            long justified = (512L * input.Length) + 16_384;
            if (allocated > justified)
            {
                Assert.Fail($"seed {seed}, input {i}: allocated {allocated} bytes for a {input.Length}-byte input");
            }

            // The caller-buffer overload must agree with the pooled one.
            if (i % 16 == 0)
            {
                try
                {
                    BlobHeader header = BlobEnvelope.ReadHeader(input);
                    if (header.PayloadLength <= scratch.Length)
                    {
                        BlobEnvelope.Read(input, scratch, out _);
                    }
                }
                catch (ReposFormatException)
                {
                }
            }
        }

        Assert.True(accepted > 1000 && rejected > Inputs / 2, $"seed {seed}: {accepted} accepted, {rejected} rejected");
    }

    private static byte[][] CreateOriginals(Random random)
    {
        var list = new List<byte[]>();
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("slept badly; migraine 6/10 at 14:00; took ibuprofen. ", 8)));
        foreach (int length in new[] { 0, 1, 16, 24, 40, 100, 300, text.Length })
        {
            byte[] compressible = text.AsSpan(0, Math.Min(length, text.Length)).ToArray();
            byte[] noise = new byte[length];
            random.NextBytes(noise);
            list.Add(Write(compressible, true));
            list.Add(Write(compressible, false));
            list.Add(Write(noise, true));
        }

        return [.. list];

        static byte[] Write(byte[] payload, bool compress)
        {
            var output = new ArrayBufferWriter<byte>();
            BlobEnvelope.Write(payload, 7, output, compress);
            return output.WrittenSpan.ToArray();
        }
    }

    private static byte[] RandomInput(Random random)
    {
        var input = new byte[random.Next(0, 64)];
        random.NextBytes(input);
        if (input.Length > 2 && random.Next(2) == 0)
        {
            input[0] = BlobEnvelope.FormatVersion;
            input[1] = (byte)random.Next(2);
        }

        return input;
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        byte[] input;
        switch (random.Next(5))
        {
            case 0: // truncate
                input = original.AsSpan(0, random.Next(original.Length + 1)).ToArray();
                break;
            case 1: // flip bits
                input = (byte[])original.Clone();
                for (int n = random.Next(1, 4); n > 0 && input.Length > 0; n--)
                {
                    input[random.Next(input.Length)] ^= (byte)(1 << random.Next(8));
                }

                break;
            case 2: // overwrite bytes
                input = (byte[])original.Clone();
                for (int n = random.Next(1, 8); n > 0 && input.Length > 0; n--)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }

                break;
            case 3: // huge or wrong declared length
                input = (byte[])original.Clone();
                if (input.Length >= 14)
                {
                    input[1] = 1;
                    input[10 + random.Next(4)] = (byte)(random.Next(2) == 0 ? 0xFF : random.Next(256));
                }

                break;
            default: // extend with garbage
                input = new byte[original.Length + random.Next(1, 16)];
                original.CopyTo(input, 0);
                random.NextBytes(input.AsSpan(original.Length));
                break;
        }

        return input;
    }
}
