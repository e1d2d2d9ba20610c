using System.Diagnostics;
using Repos.Tests.Packaging;

namespace Repos.Tests;

/// <summary>The second-process program (tests/Repos.Tests.Child), for tests that need another process on a file.</summary>
internal static class ChildProgram
{
    /// <summary>The program, built beside this test assembly (same configuration and framework).</summary>
    public static string Path
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
            string framework = output.Name;
            string configuration = output.Parent!.Name;
            DirectoryInfo tests = output.Parent!.Parent!.Parent!.Parent!;
            string child = System.IO.Path.Combine(tests.FullName, "Repos.Tests.Child", "bin", configuration, framework, "Repos.Tests.Child.dll");
            Assert.True(File.Exists(child), $"the second-process program was not built: {child}");
            return child;
        }
    }

    /// <summary>Starts the program with <paramref name="arguments"/>, its output redirected, without waiting for it.</summary>
    public static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo(ChildProcess.DotNetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("the second-process program did not start");
    }
}
