using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using K4os.Compression.LZ4;
using Repos.Serialization;
using Repos.Tests.Native;
using Repos.Tests.Serialization;

namespace Repos.Benchmarks;

/// <summary>
/// Our LZ4 block codec against native liblz4 (<c>LZ4_compress_default</c> / <c>LZ4_decompress_safe</c> through
/// P/Invoke) on what Repos stores: about 600-byte serialized entities, one at a time. The time is per entity,
/// averaged over 1,000 different ones.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class Lz4EntityBenchmarks
{
    private const int EntityCount = 1000;
    private byte[][] _entities = [];
    private byte[][] _blocks = [];
    private byte[] _compressBuffer = [];
    private byte[] _decompressBuffer = [];

    [GlobalSetup]
    public void Setup()
    {
        LibLz4.EnsureAvailable();
        _entities = new byte[EntityCount][];
        _blocks = new byte[EntityCount][];
        _compressBuffer = GC.AllocateArray<byte>(Lz4.MaxCompressedLength(4096), pinned: true);
        _decompressBuffer = GC.AllocateArray<byte>(4096, pinned: true);
        long input = 0, ours = 0, native = 0;
        int identical = 0;
        for (int i = 0; i < EntityCount; i++)
        {
            _entities[i] = Entity(i);
            _blocks[i] = LibLz4.Compress(_entities[i]);
            int length = Lz4.Compress(_entities[i], _compressBuffer);
            identical += _compressBuffer.AsSpan(0, length).SequenceEqual(_blocks[i]) ? 1 : 0;
            input += _entities[i].Length;
            ours += length;
            native += _blocks[i].Length;
        }

        Console.WriteLine($"// Entities: {EntityCount}, {input} bytes -> Repos {ours} bytes, liblz4 {native} bytes, " +
                          $"byte-identical {identical}/{EntityCount}");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = EntityCount)]
    [BenchmarkCategory("Compress")]
    public unsafe int Compress_LibLz4()
    {
        int total = 0;
        fixed (byte* destination = _compressBuffer)
        {
            foreach (byte[] entity in _entities)
            {
                fixed (byte* source = entity)
                {
                    total += LibLz4.CompressDefault(source, destination, entity.Length, _compressBuffer.Length);
                }
            }
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = EntityCount)]
    [BenchmarkCategory("Compress")]
    public int Compress_Repos() => CompressWithRepos(_entities, _compressBuffer);

    [Benchmark(Baseline = true, OperationsPerInvoke = EntityCount)]
    [BenchmarkCategory("Decompress")]
    public unsafe int Decompress_LibLz4()
    {
        int total = 0;
        fixed (byte* destination = _decompressBuffer)
        {
            for (int i = 0; i < _blocks.Length; i++)
            {
                fixed (byte* source = _blocks[i])
                {
                    total += LibLz4.DecompressSafe(source, destination, _blocks[i].Length, _entities[i].Length);
                }
            }
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = EntityCount)]
    [BenchmarkCategory("Decompress")]
    public int Decompress_Repos() => DecompressWithRepos(_blocks, _entities, _decompressBuffer);

    /// <summary>The <paramref name="i"/>th entity: 500 to 700 bytes, a different one each time.</summary>
    internal static byte[] Entity(int i) => SampleData.Entity(i, 500 + (i % 200));

    internal static int CompressWithRepos(byte[][] entities, byte[] buffer)
    {
        int total = 0;
        foreach (byte[] entity in entities)
        {
            total += Lz4.Compress(entity, buffer);
        }

        return total;
    }

    internal static int DecompressWithRepos(byte[][] blocks, byte[][] entities, byte[] buffer)
    {
        int total = 0;
        for (int i = 0; i < blocks.Length; i++)
        {
            total += Lz4.Decompress(blocks[i], buffer.AsSpan(0, entities[i].Length));
        }

        return total;
    }
}

/// <summary>
/// Our LZ4 block codec against K4os.Compression.LZ4 1.3 (<c>LZ4Codec.Encode</c> at <c>L00_FAST</c> /
/// <c>LZ4Codec.Decode</c>), the managed library the design names, on the entities of
/// <see cref="Lz4EntityBenchmarks"/>. Both write the same blocks. Run with
/// <c>dotnet run -c Release --project tests/Repos.Benchmarks -- --filter '*Lz4K4os*'</c>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class Lz4K4osEntityBenchmarks
{
    private const int EntityCount = 1000;
    private byte[][] _entities = [];
    private byte[][] _blocks = [];
    private byte[] _compressBuffer = [];
    private byte[] _decompressBuffer = [];

    [GlobalSetup]
    public void Setup()
    {
        _entities = new byte[EntityCount][];
        _blocks = new byte[EntityCount][];
        _compressBuffer = GC.AllocateArray<byte>(Lz4.MaxCompressedLength(4096), pinned: true);
        _decompressBuffer = GC.AllocateArray<byte>(4096, pinned: true);
        int identical = 0;
        for (int i = 0; i < EntityCount; i++)
        {
            _entities[i] = Lz4EntityBenchmarks.Entity(i);
            _blocks[i] = _compressBuffer.AsSpan(0, LZ4Codec.Encode(_entities[i], _compressBuffer, LZ4Level.L00_FAST)).ToArray();
            int length = Lz4.Compress(_entities[i], _compressBuffer);
            identical += _compressBuffer.AsSpan(0, length).SequenceEqual(_blocks[i]) ? 1 : 0;
        }

        Console.WriteLine($"// Entities: {EntityCount}, Repos' blocks byte-identical to K4os' {identical}/{EntityCount}");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = EntityCount)]
    [BenchmarkCategory("Compress")]
    public int Compress_K4os()
    {
        int total = 0;
        foreach (byte[] entity in _entities)
        {
            total += LZ4Codec.Encode(entity, _compressBuffer, LZ4Level.L00_FAST);
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = EntityCount)]
    [BenchmarkCategory("Compress")]
    public int Compress_Repos() => Lz4EntityBenchmarks.CompressWithRepos(_entities, _compressBuffer);

    [Benchmark(Baseline = true, OperationsPerInvoke = EntityCount)]
    [BenchmarkCategory("Decompress")]
    public int Decompress_K4os()
    {
        int total = 0;
        for (int i = 0; i < _blocks.Length; i++)
        {
            total += LZ4Codec.Decode(_blocks[i], _decompressBuffer.AsSpan(0, _entities[i].Length));
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = EntityCount)]
    [BenchmarkCategory("Decompress")]
    public int Decompress_Repos() => Lz4EntityBenchmarks.DecompressWithRepos(_blocks, _entities, _decompressBuffer);
}

/// <summary>Our LZ4 block codec against native liblz4 on 1 MiB of English-like text (a large payload).</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class Lz4TextBenchmarks
{
    private byte[] _text = [];
    private byte[] _block = [];
    private byte[] _compressBuffer = [];
    private byte[] _decompressBuffer = [];

    [GlobalSetup]
    public void Setup()
    {
        LibLz4.EnsureAvailable();
        _text = GC.AllocateArray<byte>(1 << 20, pinned: true);
        SampleData.Text(1 << 20).CopyTo(_text, 0);
        _block = GC.AllocateArray<byte>(LibLz4.CompressBound(_text.Length), pinned: true);
        _block = _block.AsSpan(0, LibLz4.Compress(_text, _block)).ToArray();
        _compressBuffer = GC.AllocateArray<byte>(Lz4.MaxCompressedLength(_text.Length), pinned: true);
        _decompressBuffer = GC.AllocateArray<byte>(_text.Length, pinned: true);
        int ours = Lz4.Compress(_text, _compressBuffer);
        Console.WriteLine($"// Text: {_text.Length} bytes -> Repos {ours} bytes, liblz4 {_block.Length} bytes, " +
                          $"byte-identical {_compressBuffer.AsSpan(0, ours).SequenceEqual(_block)}");
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Compress")]
    public unsafe int Compress_LibLz4()
    {
        fixed (byte* source = _text)
        fixed (byte* destination = _compressBuffer)
        {
            return LibLz4.CompressDefault(source, destination, _text.Length, _compressBuffer.Length);
        }
    }

    [Benchmark]
    [BenchmarkCategory("Compress")]
    public int Compress_Repos() => Lz4.Compress(_text, _compressBuffer);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Decompress")]
    public unsafe int Decompress_LibLz4()
    {
        fixed (byte* source = _block)
        fixed (byte* destination = _decompressBuffer)
        {
            return LibLz4.DecompressSafe(source, destination, _block.Length, _decompressBuffer.Length);
        }
    }

    [Benchmark]
    [BenchmarkCategory("Decompress")]
    public int Decompress_Repos() => Lz4.Decompress(_block, _decompressBuffer);
}

/// <summary>Our LZ4 block codec against K4os.Compression.LZ4 on the 1 MiB of text of <see cref="Lz4TextBenchmarks"/>.</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class Lz4K4osTextBenchmarks
{
    private byte[] _text = [];
    private byte[] _block = [];
    private byte[] _compressBuffer = [];
    private byte[] _decompressBuffer = [];

    [GlobalSetup]
    public void Setup()
    {
        _text = GC.AllocateArray<byte>(1 << 20, pinned: true);
        SampleData.Text(1 << 20).CopyTo(_text, 0);
        _compressBuffer = GC.AllocateArray<byte>(Lz4.MaxCompressedLength(_text.Length), pinned: true);
        _decompressBuffer = GC.AllocateArray<byte>(_text.Length, pinned: true);
        _block = _compressBuffer.AsSpan(0, LZ4Codec.Encode(_text, _compressBuffer, LZ4Level.L00_FAST)).ToArray();
        int ours = Lz4.Compress(_text, _compressBuffer);
        Console.WriteLine($"// Text: {_text.Length} bytes -> Repos {ours} bytes, K4os {_block.Length} bytes, " +
                          $"byte-identical {_compressBuffer.AsSpan(0, ours).SequenceEqual(_block)}");
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Compress")]
    public int Compress_K4os() => LZ4Codec.Encode(_text, _compressBuffer, LZ4Level.L00_FAST);

    [Benchmark]
    [BenchmarkCategory("Compress")]
    public int Compress_Repos() => Lz4.Compress(_text, _compressBuffer);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Decompress")]
    public int Decompress_K4os() => LZ4Codec.Decode(_block, _decompressBuffer);

    [Benchmark]
    [BenchmarkCategory("Decompress")]
    public int Decompress_Repos() => Lz4.Decompress(_block, _decompressBuffer);
}
