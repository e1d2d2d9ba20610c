using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
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
            _entities[i] = SampleData.Entity(i, 500 + (i % 200));
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
    public int Compress_Repos()
    {
        int total = 0;
        foreach (byte[] entity in _entities)
        {
            total += Lz4.Compress(entity, _compressBuffer);
        }

        return total;
    }

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
    public int Decompress_Repos()
    {
        int total = 0;
        for (int i = 0; i < _blocks.Length; i++)
        {
            total += Lz4.Decompress(_blocks[i], _decompressBuffer.AsSpan(0, _entities[i].Length));
        }

        return total;
    }
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
