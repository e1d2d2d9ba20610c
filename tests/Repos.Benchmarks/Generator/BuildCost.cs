using System.Diagnostics;

namespace Repos.Benchmarks.Generator;

/// <summary>
/// <c>--repos-build-cost [runs]</c>: the 50-entity model built by <c>dotnet build</c> as an app builds it, once as a
/// project that references Repos (the runtime and, as an analyzer, the generator) and once as the same types
/// without Repos, alternately, each after an edit of its source so the compiler really runs. Prints every run's
/// wall time and the medians. Needs the Release build of this project (the Repos and generator assemblies are
/// taken from its output folder).
/// </summary>
/// <remarks>
/// Two passes: one with a new compiler process per build (<c>UseSharedCompilation=false</c>, what CI images often
/// set), where every build pays for loading and JIT-compiling the compiler and the generator; and one with the
/// compiler server (the SDK's default on a developer machine), warm after three uncounted rounds of builds.
/// </remarks>
internal static class BuildCost
{
    public static void Run(string[] args)
    {
        int runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 7;
        string root = Path.Combine(Path.GetTempPath(), "repos-build-cost-" + Environment.ProcessId);
        string here = AppContext.BaseDirectory;
        string runtime = Path.Combine(here, "Repos.dll");
        string generator = Path.Combine(here, "Repos.Generators.dll");
        string with = Project(root, "WithRepos", FiftyEntityModel.WithRepos(), $"""
              <ItemGroup>
                <Reference Include="{runtime}" />
                <Analyzer Include="{generator}" />
              </ItemGroup>
            """);
        string without = Project(root, "WithoutRepos", FiftyEntityModel.WithoutRepos(), string.Empty);

        // The plain model in a project that references Repos: what referencing the runtime and loading the
        // generator cost by themselves, before any code is generated.
        string referenced = Project(root, "ReferencedOnly", FiftyEntityModel.WithoutRepos(), $"""
              <ItemGroup>
                <Reference Include="{runtime}" />
                <Analyzer Include="{generator}" />
              </ItemGroup>
            """);
        try
        {
            Dotnet(with, "restore", server: false);
            Dotnet(without, "restore", server: false);
            Dotnet(referenced, "restore", server: false);
            foreach (bool server in new[] { false, true })
            {
                Console.WriteLine(server ? "compiler server (the SDK's default):" : "a new compiler process per build (UseSharedCompilation=false):");
                Pass(runs, server, with, without, referenced);
                if (server)
                {
                    Dotnet(with, "build-server shutdown", server: true);
                }
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Pass(int runs, bool server, string with, string without, string referenced)
    {
        // The first builds warm the disk cache and, when there is one, the compiler server (its JIT tiers up over a
        // few builds); they are not counted.
        for (int warmUp = 0; warmUp < (server ? 3 : 1); warmUp++)
        {
            Build(with, server);
            Build(without, server);
            Build(referenced, server);
        }

        var withTimes = new List<double>();
        var withoutTimes = new List<double>();
        var referencedTimes = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            withoutTimes.Add(Build(without, server));
            withTimes.Add(Build(with, server));
            referencedTimes.Add(Build(referenced, server));
            Console.WriteLine($"  run {run}: without Repos {withoutTimes[^1]:F2} s, with Repos {withTimes[^1]:F2} s, referenced but unused {referencedTimes[^1]:F2} s; ratio {withTimes[^1] / withoutTimes[^1]:F2}");
        }

        double a = Median(withoutTimes);
        double b = Median(withTimes);
        double c = Median(referencedTimes);
        Console.WriteLine($"  median: without Repos {a:F2} s, with Repos {b:F2} s (ratio {b / a:F2}), referenced but unused {c:F2} s; load {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    private static string Project(string root, string name, string source, string items)
    {
        string folder = Path.Combine(root, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <ImplicitUsings>disable</ImplicitUsings>
              </PropertyGroup>
            {items}
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Model.cs"), source);
        return folder;
    }

    private static double Build(string folder, bool server)
    {
        // An edit that changes the compilation, so neither MSBuild nor the compiler can skip the work.
        File.AppendAllText(Path.Combine(folder, "Model.cs"), $"\n// {Guid.NewGuid()}\n");
        var clock = Stopwatch.StartNew();
        Dotnet(folder, "build --no-restore -c Release -nologo -v q", server);
        return clock.Elapsed.TotalSeconds;
    }

    private static void Dotnet(string folder, string arguments, bool server)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["UseSharedCompilation"] = server ? "true" : "false";
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {arguments} failed in {folder}:\n{output}");
        }
    }

    private static double Median(List<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
