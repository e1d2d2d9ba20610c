using System.Diagnostics;
using Repos.Serialization;
using Repos.Tests.Native;
using Xunit.Abstractions;

namespace Repos.Tests.Serialization;

/// <summary>
/// The decoder against hostile input: random bytes and mutations of valid blocks, seeded and reproducible.
/// Set REPOS_FUZZ_SEED to replay a failure (the seed is in every failure message).
/// </summary>
public sealed class Lz4FuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 0x4C5A34; // "LZ4"
    private const int Guard = 64;
    private const byte GuardByte = 0xA5;

    // Exceptions allocate (the object, its message, the stack trace); a success or a TryDecompress never does.
    private const long MaxExceptionAllocation = 16 * 1024;

    // The decoder allocates nothing, but the runtime, once in a while, does on the calling thread while the
    // other test classes run in parallel (JIT and tiering work); such a call is replayed, and a real allocation
    // by the decoder, being a function of the input, shows up again.

    [Fact]
    public void Decompress_MillionRandomAndMutatedInputs_OnlyThrowsReposFormatExceptionAndStaysInBounds()
    {
        int seed = Seed();
        var random = new Random(seed);
        Corpus corpus = Corpus.Build();
        byte[] sourceBuffer = new byte[corpus.MaxBlockLength + 4096];
        byte[] destinationBuffer = new byte[Guard + corpus.MaxContentLength + 1024 + Guard];
        byte[] agreeFast = new byte[corpus.MaxContentLength + 1024];
        byte[] agreeCareful = new byte[corpus.MaxContentLength + 1024];
        var stopwatch = Stopwatch.StartNew();
        int failures = 0, exceptionsChecked = 0;
        int runtimeNoise = 0;
        var reasons = new Dictionary<string, int>();

        const int Iterations = 1_000_000;
        for (int i = 0; i < Iterations; i++)
        {
            Input input = Mutate(random, corpus, sourceBuffer);
            int destinationLength = ChooseDestinationLength(random, input.OriginalLength);
            Span<byte> destination = destinationBuffer.AsSpan(Guard, destinationLength);
            destinationBuffer.AsSpan().Fill(GuardByte);
            ReadOnlySpan<byte> source = sourceBuffer.AsSpan(0, input.Length);

            bool ok;
            int written;
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                ok = Lz4.TryDecompress(source, destination, out written);
            }
            catch (Exception exception)
            {
                throw Failure(seed, i, input, $"TryDecompress threw {exception}");
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated != 0)
            {
                // An allocation by the decoder would happen again for the same input: replay it to tell.
                before = GC.GetAllocatedBytesForCurrentThread();
                Lz4.TryDecompress(source, destination, out _);
                long again = GC.GetAllocatedBytesForCurrentThread() - before;
                if (again != 0)
                {
                    throw Failure(seed, i, input, $"TryDecompress allocated {allocated}, then {again} bytes for the same input");
                }

                runtimeNoise++;
            }

            CheckGuards(destinationBuffer, destinationLength, seed, i, input);
            if (ok ? written > destinationLength || written < 0 : written != 0)
            {
                throw Failure(seed, i, input, $"TryDecompress returned {ok} with {written} bytes written into {destinationLength}");
            }

            if (input.Unchanged && destinationLength >= input.OriginalLength &&
                (!ok || written != input.OriginalLength ||
                 !destination[..written].SequenceEqual(corpus.Contents[input.CorpusIndex])))
            {
                throw Failure(seed, i, input, "a valid block did not decode to its content");
            }

            failures += ok ? 0 : 1;

            // The fast decoder (TryDecompress) and the careful one behind the exceptions must accept exactly
            // the same blocks, with the same output.
            if ((i & 3) == 0 && !Lz4.DecodersAgree(source, agreeFast.AsSpan(0, destinationLength), agreeCareful.AsSpan(0, destinationLength)))
            {
                throw Failure(seed, i, input, "the fast and the careful decoder disagree");
            }

            // The throwing API on a sample (exceptions are slow): same answer, and only ReposFormatException.
            if ((i & 15) == 0)
            {
                byte[]? firstOutput = ok ? destination[..written].ToArray() : null;
                destinationBuffer.AsSpan().Fill(GuardByte);
                before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    int result = Lz4.Decompress(source, destination);
                    allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                    if (allocated != 0)
                    {
                        before = GC.GetAllocatedBytesForCurrentThread();
                        Lz4.Decompress(source, destination);
                        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                        runtimeNoise++;
                    }

                    if (!ok || result != written || allocated != 0 || !destination[..result].SequenceEqual(firstOutput))
                    {
                        throw Failure(seed, i, input, $"Decompress returned {result} (allocated {allocated}) where TryDecompress said {ok}/{written}");
                    }
                }
                catch (ReposFormatException exception)
                {
                    allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                    if (ok || exception.Offset < 0 || exception.Offset > input.Length || allocated > MaxExceptionAllocation)
                    {
                        throw Failure(seed, i, input, $"Decompress threw at offset {exception.Offset} (allocated {allocated}) " +
                                                      $"where TryDecompress said {ok}: {exception.Message}");
                    }

                    string kind = exception.Reason.Split(' ', 3)[1];
                    reasons[kind] = reasons.GetValueOrDefault(kind) + 1;
                    exceptionsChecked++;
                }
                catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
                {
                    throw Failure(seed, i, input, $"Decompress threw {exception.GetType()}: {exception}");
                }

                CheckGuards(destinationBuffer, destinationLength, seed, i, input);
            }
        }

        output.WriteLine($"seed {seed}: {Iterations} inputs, {failures} rejected, {exceptionsChecked} exceptions checked, " +
                         $"{runtimeNoise} replayed for unexplained allocations, {stopwatch.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(string.Join(", ", reasons.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key}: {pair.Value}")));
        Assert.True(runtimeNoise < Iterations / 1000, $"seed {seed}: {runtimeNoise} calls saw unexplained allocations");
        Assert.True(failures > Iterations / 10, $"seed {seed}: only {failures} inputs were rejected; the mutations are too weak");
    }

    [Fact]
    public void Decompress_MutatedBlocks_AgreesWithLibLz4()
    {
        // liblz4 checks the end-of-block rules against the destination size, we check them against the output:
        // - whatever we accept, liblz4 accepts with the same output;
        // - whatever liblz4 decodes to exactly fill the destination, we accept too, except offset 0, which
        //   liblz4 1.9.4 lets through (copying bytes the block never defined) and the format forbids.
        LibLz4.EnsureAvailable();
        int seed = Seed() + 1;
        var random = new Random(seed);
        Corpus corpus = Corpus.Build();
        byte[] sourceBuffer = new byte[corpus.MaxBlockLength + 4096];
        byte[] ours = new byte[corpus.MaxContentLength + 1024];
        byte[] theirs = new byte[corpus.MaxContentLength + 1024];
        int agreedValid = 0, agreedInvalid = 0, offsetZero = 0, looserEnd = 0;

        for (int i = 0; i < 200_000; i++)
        {
            Input input = Mutate(random, corpus, sourceBuffer);
            int destinationLength = random.Next(4) == 0 ? ChooseDestinationLength(random, input.OriginalLength) : input.OriginalLength;
            ReadOnlySpan<byte> source = sourceBuffer.AsSpan(0, input.Length);

            bool ok = Lz4.TryDecompress(source, ours.AsSpan(0, destinationLength), out int written);
            int result = input.Length == 0 ? -1 : LibLz4.Decompress(source, theirs.AsSpan(0, destinationLength));

            if (ok)
            {
                if (result != written || !ours.AsSpan(0, written).SequenceEqual(theirs.AsSpan(0, written)))
                {
                    throw Failure(seed, i, input, $"we decoded {written} bytes, liblz4 returned {result} (or other bytes)");
                }

                agreedValid++;
            }
            else if (result < 0)
            {
                agreedInvalid++;
            }
            else
            {
                ReposFormatException exception = DecompressExpectingFailure(sourceBuffer, input.Length, ours.AsSpan(0, destinationLength));
                if (exception.Reason == "match offset 0 is invalid")
                {
                    offsetZero++;
                }
                else if (result < destinationLength &&
                         (exception.Reason.StartsWith("last ", StringComparison.Ordinal) ||
                          exception.Reason.StartsWith("block ends with ", StringComparison.Ordinal) ||
                          exception.Reason.StartsWith("a block with no output", StringComparison.Ordinal)))
                {
                    looserEnd++;
                }
                else
                {
                    throw Failure(seed, i, input, $"liblz4 decoded {result} of {destinationLength} bytes, we refused: {exception.Message}");
                }
            }
        }

        output.WriteLine($"seed {seed}: both valid {agreedValid}, both invalid {agreedInvalid}, offset 0 {offsetZero}, " +
                         $"end rules liblz4 relaxes for a larger destination {looserEnd}");
        Assert.True(agreedValid > 1000 && agreedInvalid > 1000, "the mutations must exercise both outcomes");
    }

    private static ReposFormatException DecompressExpectingFailure(byte[] source, int length, Span<byte> destination)
    {
        try
        {
            Lz4.Decompress(source.AsSpan(0, length), destination);
        }
        catch (ReposFormatException exception)
        {
            return exception;
        }

        throw new Xunit.Sdk.XunitException("Decompress succeeded where TryDecompress failed");
    }

    private static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable("REPOS_FUZZ_SEED"), out int seed) ? seed : DefaultSeed;

    private static Exception Failure(int seed, int iteration, Input input, string what) =>
        new Xunit.Sdk.XunitException(
            $"Fuzz failure with seed {seed} (REPOS_FUZZ_SEED={seed}) at iteration {iteration}, " +
            $"mutation '{input.Mutation}' of corpus block {input.CorpusIndex}, {input.Length} bytes: {what}");

    private static void CheckGuards(byte[] buffer, int destinationLength, int seed, int iteration, Input input)
    {
        if (buffer.AsSpan(0, Guard).IndexOfAnyExcept(GuardByte) >= 0 ||
            buffer.AsSpan(Guard + destinationLength).IndexOfAnyExcept(GuardByte) >= 0)
        {
            throw Failure(seed, iteration, input, $"wrote outside a destination of {destinationLength} bytes");
        }
    }

    private static int ChooseDestinationLength(Random random, int trueLength) => random.Next(8) switch
    {
        0 => 0,
        1 => random.Next(trueLength + 1),       // smaller (or equal)
        2 => Math.Max(trueLength - 1, 0),
        3 => trueLength + 1 + random.Next(1024), // larger
        4 => trueLength + random.Next(40),
        _ => trueLength,
    };

    private readonly record struct Input(int Length, int OriginalLength, int CorpusIndex, string Mutation, bool Unchanged);

    private static Input Mutate(Random random, Corpus corpus, byte[] buffer)
    {
        int choice = random.Next(100);
        if (choice < 8)
        {
            // Pure random bytes, mostly short (where every byte is structure), sometimes longer.
            int length = random.Next(4) == 0 ? random.Next(2048) : random.Next(48);
            random.NextBytes(buffer.AsSpan(0, length));
            return new Input(length, random.Next(4096), -1, "random", false);
        }

        int index = random.Next(corpus.Blocks.Count);
        byte[] block = corpus.Blocks[index];
        int contentLength = corpus.Contents[index].Length;
        block.CopyTo(buffer, 0);
        int n = block.Length;
        IReadOnlyList<Sequence> sequences = corpus.Sequences[index];

        switch (choice)
        {
            case < 22:
            {
                // Truncation: every length class, the ends included.
                int length = random.Next(5) switch
                {
                    0 => random.Next(Math.Min(n, 4)),
                    1 => n - 1 - random.Next(Math.Min(n, 8)),
                    _ => random.Next(n),
                };
                return new Input(length, contentLength, index, "truncated", false);
            }

            case < 40:
            {
                int flips = 1 + random.Next(3);
                for (int k = 0; k < flips; k++)
                {
                    buffer[random.Next(n)] ^= (byte)(1 << random.Next(8));
                }

                return new Input(n, contentLength, index, "bit flips", false);
            }

            case < 54:
            {
                int writes = 1 + random.Next(4);
                for (int k = 0; k < writes; k++)
                {
                    buffer[random.Next(n)] = (byte)random.Next(256);
                }

                return new Input(n, contentLength, index, "overwritten bytes", false);
            }

            case < 62:
            {
                // A run of 0xFF: absurd literal or match lengths.
                int at = random.Next(n);
                int run = Math.Min(1 + random.Next(random.Next(2) == 0 ? 8 : 600), buffer.Length - at);
                if (random.Next(2) == 0 && n + run <= buffer.Length)
                {
                    buffer.AsSpan(at, n - at).CopyTo(buffer.AsSpan(at + run)); // inserted
                    buffer.AsSpan(at, run).Fill(0xFF);
                    return new Input(n + run, contentLength, index, "inserted 0xFF run", false);
                }

                buffer.AsSpan(at, Math.Min(run, n - at)).Fill(0xFF);
                return new Input(n, contentLength, index, "0xFF run", false);
            }

            case < 74 when sequences.Count > 0:
            {
                // Bogus offsets: 0, just beyond the output so far, anything.
                Sequence sequence = sequences[random.Next(sequences.Count)];
                int offset = random.Next(3) switch
                {
                    0 => 0,
                    1 => Math.Min(sequence.OutputPosition + 1 + random.Next(4), 65535),
                    _ => random.Next(65536),
                };
                buffer[sequence.OffsetPosition] = (byte)offset;
                buffer[sequence.OffsetPosition + 1] = (byte)(offset >> 8);
                return new Input(n, contentLength, index, $"offset {offset}", false);
            }

            case < 84 when sequences.Count > 0:
            {
                // A token's lengths changed: runs shifted against the data that follows.
                Sequence sequence = sequences[random.Next(sequences.Count)];
                buffer[sequence.TokenPosition] = (byte)random.Next(256);
                return new Input(n, contentLength, index, "token", false);
            }

            case < 90:
            {
                // Two valid blocks back to back, or a block followed by junk: trailing bytes after the end.
                int extra = Math.Min(1 + random.Next(16), buffer.Length - n);
                random.NextBytes(buffer.AsSpan(n, extra));
                return new Input(n + extra, contentLength, index, "trailing bytes", false);
            }

            default:
                return new Input(n, contentLength, index, "valid", true);
        }
    }

    private readonly record struct Sequence(int TokenPosition, int OffsetPosition, int OutputPosition);

    /// <summary>Valid blocks of varied shapes, with where each sequence's token and offset are.</summary>
    private sealed class Corpus
    {
        public List<byte[]> Blocks { get; } = [];

        public List<byte[]> Contents { get; } = [];

        public List<IReadOnlyList<Sequence>> Sequences { get; } = [];

        public int MaxBlockLength => Blocks.Max(block => block.Length);

        public int MaxContentLength => Contents.Max(content => content.Length);

        public static Corpus Build()
        {
            var corpus = new Corpus();
            for (int i = 0; i < 40; i++)
            {
                corpus.Add(SampleData.Entity(i, 16 + (i * 50)));
            }

            foreach (int length in new[] { 0, 1, 12, 13, 20, 64, 100, 333, 1000, 4000 })
            {
                corpus.Add(SampleData.Text(length, seed: length));
            }

            for (int period = 1; period <= 9; period++)
            {
                corpus.Add(SampleData.Periodic(50 + (period * 37), period));
            }

            corpus.Add(SampleData.Random(300));
            corpus.Add(new byte[500]);
            corpus.Add(SampleData.Entities(20_000, seed: 5));
            return corpus;
        }

        private void Add(byte[] content)
        {
            byte[] buffer = new byte[Lz4.MaxCompressedLength(content.Length)];
            byte[] block = buffer.AsSpan(0, Lz4.Compress(content, buffer)).ToArray();
            Blocks.Add(block);
            Contents.Add(content);
            Sequences.Add(Parse(block));
        }

        private static List<Sequence> Parse(byte[] block)
        {
            var sequences = new List<Sequence>();
            int ip = 0, op = 0;
            while (true)
            {
                int token = ip;
                int literals = block[ip] >> 4;
                int match = block[ip++] & 15;
                if (literals == 15)
                {
                    int b;
                    do
                    {
                        b = block[ip++];
                        literals += b;
                    }
                    while (b == 255);
                }

                ip += literals;
                op += literals;
                if (ip >= block.Length)
                {
                    return sequences;
                }

                sequences.Add(new Sequence(token, ip, op));
                ip += 2;
                if (match == 15)
                {
                    int b;
                    do
                    {
                        b = block[ip++];
                        match += b;
                    }
                    while (b == 255);
                }

                op += match + 4;
            }
        }
    }
}
