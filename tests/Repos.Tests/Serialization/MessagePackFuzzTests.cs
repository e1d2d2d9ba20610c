using System.Buffers;
using System.Globalization;
using Repos.Serialization;
using static Repos.Tests.Serialization.MessagePackTestHelpers;

namespace Repos.Tests.Serialization;

/// <summary>
/// Feeds a million random and mutated inputs to the reader. Every input must end in a value or a
/// <see cref="ReposFormatException"/>, never another exception, a hang or an allocation the input cannot
/// justify; <see cref="MessagePackReader.Skip"/> and a typed walk must agree on where a valid value ends;
/// a multi-segment sequence must read exactly like the span.
/// </summary>
/// <remarks>Seeded: set <c>REPOS_FUZZ_SEED</c> to replay the seed printed by a failure.</remarks>
public class MessagePackFuzzTests
{
    private const int Inputs = 1_000_000;
    private const int ChunkSize = 10_000;

    /// <summary>Allocation allowed per input: this many bytes per input byte (strings are UTF-16, arrays have headers)...</summary>
    private const long AllocationPerInputByte = 16;

    /// <summary>...plus this much (one exception with its message and stack trace).</summary>
    private const long AllocationConstant = 8 * 1024;

    [Fact]
    public void MillionRandomAndMutatedInputs_OnlyFormatErrors_BoundedAllocation_SkipAgreesWithWalk()
    {
        var seed = FuzzSeed.Get(20261122);
        var chunks = Inputs / ChunkSize;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        long valid = 0, invalid = 0;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, (chunk, state) =>
        {
            // HashCode is randomised per process; a plain formula keeps every chunk reproducible from the seed.
            var random = new Random(unchecked((seed * 1_000_003) + chunk));
            long chunkValid = 0, chunkInvalid = 0;
            for (var i = 0; i < ChunkSize && failures.IsEmpty; i++)
            {
                var input = NextInput(random);
                var failure = Check(input, random, out var wasValid);
                if (failure is not null)
                {
                    failures.Enqueue($"REPOS_FUZZ_SEED={seed} chunk {chunk} input {i}: {Hex(input)}\n{failure}");
                    state.Stop();
                    return;
                }

                if (wasValid)
                {
                    chunkValid++;
                }
                else
                {
                    chunkInvalid++;
                }
            }

            Interlocked.Add(ref valid, chunkValid);
            Interlocked.Add(ref invalid, chunkInvalid);
        });

        Assert.True(failures.IsEmpty, failures.FirstOrDefault());
        Assert.Equal(Inputs, valid + invalid);

        // Both outcomes must be well represented, or the mutations are too mild or too wild to test much.
        Assert.True(valid > Inputs / 10, $"only {valid} valid inputs (REPOS_FUZZ_SEED={seed})");
        Assert.True(invalid > Inputs / 10, $"only {invalid} invalid inputs (REPOS_FUZZ_SEED={seed})");
    }

    /// <summary>Runs every check on one input; returns a description of the first failure, or null.</summary>
    private static string? Check(byte[] input, Random random, out bool wasValid)
    {
        var typedVariant = random.Next(4);
        var allowed = AllocationPerInputByte * input.Length + AllocationConstant;
        ReadAction walkAction = (ref MessagePackReader r) => Walk(ref r, typedVariant);
        ReadAction skipAction = (ref MessagePackReader r) => r.Skip();
        var walk = Measure(input, walkAction);
        var skip = Measure(input, skipAction);

        // Under load the runtime itself sometimes allocates on the test thread (tiering, the first use of a
        // type); a real over-allocation happens again, so only a repeat counts.
        if (walk.Allocated > allowed)
        {
            walk = Measure(input, walkAction);
        }

        if (skip.Allocated > allowed)
        {
            skip = Measure(input, skipAction);
        }

        wasValid = walk.Error is null;
        foreach (var outcome in new[] { walk, skip })
        {
            if (outcome.Unexpected is not null)
            {
                return $"{outcome.Unexpected.GetType().Name} escaped: {outcome.Unexpected}";
            }

            if (outcome.Allocated > allowed)
            {
                return $"allocated {outcome.Allocated} bytes for a {input.Length}-byte input (allowed {allowed})";
            }

            if (outcome.Error is { } error && (error.Offset < 0 || error.Offset > input.Length))
            {
                return $"offset {error.Offset} outside the {input.Length}-byte input: {error.Message}";
            }
        }

        // The walk validates more than Skip (UTF-8, integer ranges, timestamps), never less.
        if (walk.Error is null && (skip.Error is not null || skip.Consumed != walk.Consumed))
        {
            return $"walk consumed {walk.Consumed} bytes but Skip {(skip.Error is null ? $"consumed {skip.Consumed}" : $"failed: {skip.Error.Message}")}";
        }

        // One input in 16: the same walk over random segments must end the same way.
        if (random.Next(16) == 0)
        {
            var sequence = RandomSegments(input, random);
            var segmented = Run(sequence, typedVariant);
            if (segmented.Unexpected is not null)
            {
                return $"{segmented.Unexpected.GetType().Name} escaped reading segments: {segmented.Unexpected}";
            }

            if (segmented.Consumed != walk.Consumed || segmented.Error?.Message != walk.Error?.Message)
            {
                return $"segments ended with ({segmented.Consumed}, {segmented.Error?.Message}) but the span with ({walk.Consumed}, {walk.Error?.Message})";
            }
        }

        return null;
    }

    private readonly record struct Outcome(long Consumed, ReposFormatException? Error, Exception? Unexpected, long Allocated);

    private delegate void ReadAction(ref MessagePackReader reader);

    private static Outcome Measure(byte[] input, ReadAction read)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var reader = new MessagePackReader(input);
        ReposFormatException? error = null;
        Exception? unexpected = null;
        try
        {
            read(ref reader);
        }
        catch (ReposFormatException e)
        {
            error = e;
        }
        catch (Exception e)
        {
            unexpected = e;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return new Outcome(error is null ? reader.Consumed : -1, error, unexpected, allocated);
    }

    private static Outcome Run(ReadOnlySequence<byte> input, int typedVariant)
    {
        var reader = new MessagePackReader(input);
        try
        {
            Walk(ref reader, typedVariant);
            return new Outcome(reader.Consumed, null, null, 0);
        }
        catch (ReposFormatException e)
        {
            return new Outcome(-1, e, null, 0);
        }
        catch (Exception e)
        {
            return new Outcome(-1, null, e, 0);
        }
    }

    /// <summary>
    /// Reads one whole value with typed reads, iteratively (hostile nesting must not overflow the stack).
    /// <paramref name="variant"/> picks which typed reads: the widest ones, which fail only on malformed
    /// input, or narrower ones and span variants, which also exercise overflow and type errors.
    /// </summary>
    private static void Walk(ref MessagePackReader reader, int variant)
    {
        long pending = 1;
        while (pending > 0)
        {
            pending--;
            switch (reader.NextMessagePackType)
            {
                case MessagePackType.Integer:
                    if (variant == 3)
                    {
                        reader.ReadInt32();
                    }
                    else if (variant == 2)
                    {
                        reader.ReadDouble();
                    }
                    else if (reader.NextCode == MessagePackCode.UInt64)
                    {
                        reader.ReadUInt64();
                    }
                    else
                    {
                        reader.ReadInt64();
                    }

                    break;
                case MessagePackType.Nil:
                    if (variant == 1)
                    {
                        reader.ReadNil();
                    }
                    else
                    {
                        Assert.Null(reader.ReadString());
                    }

                    break;
                case MessagePackType.Boolean:
                    reader.ReadBoolean();
                    break;
                case MessagePackType.Float:
                    if (variant == 3)
                    {
                        reader.ReadSingle();
                    }
                    else
                    {
                        reader.ReadDouble();
                    }

                    break;
                case MessagePackType.String:
                    if (variant == 1)
                    {
                        reader.ReadStringSpan();
                    }
                    else
                    {
                        reader.ReadString();
                    }

                    break;
                case MessagePackType.Binary:
                    if (variant == 1)
                    {
                        reader.ReadBinarySpan();
                    }
                    else
                    {
                        reader.ReadBytes();
                    }

                    break;
                case MessagePackType.Array:
                    pending += reader.ReadArrayHeader();
                    break;
                case MessagePackType.Map:
                    pending += 2L * reader.ReadMapHeader();
                    break;
                case MessagePackType.Extension:
                    if (variant >= 2)
                    {
                        // A copy tries the timestamp reads; failing them is fine for other extensions.
                        var copy = reader;
                        try
                        {
                            if (variant == 2)
                            {
                                copy.ReadDateTime();
                            }
                            else
                            {
                                copy.ReadTimestamp();
                            }
                        }
                        catch (ReposFormatException)
                        {
                        }
                    }

                    reader.ReadExtensionFormat();
                    break;
                default:
                    reader.Skip(); // 0xc1: must fail
                    throw new Xunit.Sdk.XunitException("Skip accepted 0xc1");
            }
        }
    }

    private static ReadOnlySequence<byte> RandomSegments(byte[] input, Random random)
    {
        var parts = new List<byte[]>();
        var position = 0;
        while (position < input.Length)
        {
            var length = random.Next(0, Math.Min(8, input.Length - position) + 1);
            parts.Add(input[position..(position + length)]);
            position += length;
        }

        parts.Add([]);
        return Segments(parts);
    }

    private static readonly byte[] s_lengthCodes =
    [
        MessagePackCode.Str32, MessagePackCode.Bin32, MessagePackCode.Array32, MessagePackCode.Map32, MessagePackCode.Ext32,
        MessagePackCode.Str16, MessagePackCode.Bin16, MessagePackCode.Array16, MessagePackCode.Map16, MessagePackCode.Ext16,
    ];

    private static byte[] NextInput(Random random)
    {
        var kind = random.Next(100);
        if (kind < 10)
        {
            // Pure random bytes.
            var bytes = new byte[random.Next(0, 48)];
            random.NextBytes(bytes);
            return bytes;
        }

        var valid = Encode((ref MessagePackWriter w) => WriteRandomValue(ref w, random, depth: 0));
        if (kind < 35)
        {
            return valid;
        }

        var mutated = new List<byte>(valid);
        var mutations = 1 + random.Next(3);
        for (var m = 0; m < mutations && mutated.Count > 0; m++)
        {
            var at = random.Next(mutated.Count);
            switch (random.Next(6))
            {
                case 0: // truncate
                    mutated.RemoveRange(at, mutated.Count - at);
                    break;
                case 1: // flip a bit
                    mutated[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 2: // overwrite a byte
                    mutated[at] = (byte)random.Next(256);
                    break;
                case 3: // a huge length or count prefix
                    var code = s_lengthCodes[random.Next(s_lengthCodes.Length)];
                    byte[] prefix = code is MessagePackCode.Str16 or MessagePackCode.Bin16 or MessagePackCode.Array16 or MessagePackCode.Map16 or MessagePackCode.Ext16
                        ? [code, 0xff, (byte)random.Next(256)]
                        : [code, 0xff, 0xff, 0xff, (byte)random.Next(256)];
                    mutated.InsertRange(at, prefix);
                    break;
                case 4: // insert random bytes
                    var inserted = new byte[1 + random.Next(4)];
                    random.NextBytes(inserted);
                    mutated.InsertRange(at, inserted);
                    break;
                default: // delete a byte
                    mutated.RemoveAt(at);
                    break;
            }
        }

        return [.. mutated];
    }

    private static void WriteRandomValue(ref MessagePackWriter writer, Random random, int depth)
    {
        var choice = random.Next(depth >= 3 ? 14 : 17);
        switch (choice)
        {
            case 0: writer.WriteNil(); break;
            case 1: writer.Write(random.Next(2) == 0); break;
            case 2: writer.Write(random.Next(-40, 200)); break;
            case 3: writer.Write(random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(64)); break;
            case 4: writer.Write((ulong)random.NextInt64() << random.Next(2)); break;
            case 5: writer.Write(random.NextDouble() * 1e6); break;
            case 6: writer.Write((float)random.NextDouble()); break;
            case 7: writer.Write(RandomString(random)); break;
            case 8:
                var bytes = new byte[random.Next(0, random.Next(2) == 0 ? 8 : 300)];
                random.NextBytes(bytes);
                writer.Write(bytes);
                break;
            case 9:
                var data = new byte[random.Next(4) switch { 0 => 1, 1 => 8, 2 => 16, _ => random.Next(0, 40) }];
                random.NextBytes(data);
                writer.WriteExtensionFormat((sbyte)random.Next(-128, 128), data);
                break;
            case 10: writer.Write(new DateTime(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), DateTimeKind.Utc)); break;
            case 11: writer.WriteTimestamp(new MessagePackTimestamp(random.NextInt64(-1L << 40, 1L << 40) >> random.Next(40), (uint)random.Next(1_000_000_000))); break;
            case 12: writer.Write(short.MinValue + random.Next(70_000)); break;
            case 13: writer.Write(uint.MaxValue - (uint)random.Next(300)); break;
            case 14:
            case 15:
            {
                var count = random.Next(random.Next(8) == 0 ? 20 : 5);
                writer.WriteArrayHeader(count);
                for (var i = 0; i < count; i++)
                {
                    WriteRandomValue(ref writer, random, depth + 1);
                }

                break;
            }

            default:
            {
                var count = random.Next(random.Next(8) == 0 ? 18 : 5);
                writer.WriteMapHeader(count);
                for (var i = 0; i < count * 2; i++)
                {
                    WriteRandomValue(ref writer, random, depth + 1);
                }

                break;
            }
        }
    }

    private static readonly string[] s_stringPieces = ["a", "Hello", "é", "€", "ひ", "🍺", " ", "0123456789"];

    private static string RandomString(Random random)
    {
        var pieces = random.Next(random.Next(10) == 0 ? 60 : 8);
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < pieces; i++)
        {
            text.Append(s_stringPieces[random.Next(s_stringPieces.Length)]);
        }

        return text.ToString();
    }
}
