using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using Repos.Benchmarks.Repository;
using Repos.Transfer;

namespace Repos.Benchmarks.Transfer;

/// <summary>
/// Export and import of 1,000,000 diary entries (issue 13's targets): the whole entity to NDJSON, to one JSON
/// document and to CSV, into a stream that counts the bytes; and the NDJSON imported into an empty file, every row
/// converted, validated and written in one transaction. Random (v4) Guid keys, as <see cref="DiaryData"/> makes them.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class TransferBenchmarks
{
    private const int Rows = 1_000_000;

    private string _sourcePath = null!;
    private string _targetPath = null!;
    private string _bundlePath = null!;
    private DiaryDb _source = null!;
    private DiaryDb? _target;

    [GlobalSetup]
    public void Setup()
    {
        _sourcePath = BenchFiles.PathOf("transfer-source");
        _targetPath = BenchFiles.PathOf("transfer-target");
        _bundlePath = BenchFiles.PathOf("transfer-bundle") + ".ndjson";
        if (!File.Exists(_sourcePath))
        {
            using DiaryDb fill = DiaryDb.OpenAsync(_sourcePath).AsTask().GetAwaiter().GetResult();
            foreach (DailyEntry[] batch in DiaryData.Stream(Rows, DiaryData.Users).Chunk(50_000))
            {
                fill.DailyEntries.InsertManyAsync(batch).AsTask().GetAwaiter().GetResult();
            }
        }

        _source = DiaryDb.OpenAsync(_sourcePath).AsTask().GetAwaiter().GetResult();
        using FileStream bundle = File.Create(_bundlePath);
        _source.ExportAsync(bundle, new BundleExportOptions { Format = BundleFormat.NdJson }).GetAwaiter().GetResult();
        long json = _source.ExportAsync(new CountingStream()).GetAwaiter().GetResult().Bytes;
        var csv = new CountingStream();
        _source.ExportCsvAsync(nameof(DailyEntry), csv).GetAwaiter().GetResult();
        Console.WriteLine($"// {Rows:N0} rows: NDJSON {new FileInfo(_bundlePath).Length:N0} bytes, JSON {json:N0}, CSV {csv.Length:N0}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _source.Dispose();
        _target?.Dispose();
        BenchFiles.Delete(_targetPath);
        File.Delete(_bundlePath);
    }

    [Benchmark]
    public async Task<long> ExportNdJson() => (await _source.ExportAsync(new CountingStream(), new BundleExportOptions { Format = BundleFormat.NdJson })).Bytes;

    [Benchmark]
    public async Task<long> ExportJson() => (await _source.ExportAsync(new CountingStream())).Bytes;

    [Benchmark]
    public async Task<long> ExportCsv()
    {
        var output = new CountingStream();
        await _source.ExportCsvAsync(nameof(DailyEntry), output);
        return output.Length;
    }

    [IterationSetup(Target = nameof(ImportNdJson))]
    public void EmptyTarget()
    {
        _target?.Dispose();
        BenchFiles.Delete(_targetPath);
        _target = DiaryDb.OpenAsync(_targetPath, new ReposDatabaseOptions { BackupBeforeMigration = false, BackupBeforeImport = false }).AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public async Task<long> ImportNdJson()
    {
        await using FileStream bundle = File.OpenRead(_bundlePath);
        BundleImportResult result = await _target!.ImportBundleAsync(bundle);
        return result.Entities.Sum(e => e.Written);
    }

    /// <summary>A few long operations: one launch, one warm-up, five iterations of one call each.</summary>
    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(5));
    }

    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return default;
        }
    }
}
