using BenchmarkDotNet.Running;

namespace Repos.Benchmarks;

/// <summary>
/// Runs the benchmarks: <c>dotnet run -c Release --project tests/Repos.Benchmarks -- --filter '*'</c>.
/// Results, with the machine and date, go in docs/benchmarks.md.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--repos-profile")
        {
            Repository.RepositoryProfile.Run(args);
            return;
        }

        if (args.Length > 0 && args[0] == "--repos-verify")
        {
            Repository.VerifyFixture.Run(args);
            return;
        }

        if (args.Length > 0 && args[0] == "--repos-salvage")
        {
            Repository.VerifyFixture.RunSalvage(args);
            return;
        }

        if (args.Length > 0 && args[0] == "--repos-rowversion")
        {
            Repository.RowVersionCost.Run(args);
            return;
        }

        if (args.Length > 0 && args[0] == "--repos-backup")
        {
            Backup.BackupThroughput.Run(args);
            return;
        }

        if (args.Length > 0 && args[0] == "--repos-dictionary")
        {
            Repository.DictionaryReport.Run();
            return;
        }

        if (args.Length > 0 && args[0] == "--repos-report")
        {
            Repository.StorageReport.Run();
            return;
        }

        if (args.Length > 0 && args[0] == "--repos-generated")
        {
            Generator.GeneratorCostBenchmarks.Report(args);
            return;
        }

        if (args.Length > 0 && args[0] == "--repos-build-cost")
        {
            Generator.BuildCost.Run(args);
            return;
        }

        if (args.Length > 0 && args[0] == "--repos-csv-check")
        {
            Csv.CsvBenchmarks.RunCheck(args);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
