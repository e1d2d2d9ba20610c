namespace Repos.Tests.Housekeeping;

public sealed class ReposPathsTests
{
    private static Func<string, string?> Variables(params (string Name, string Value)[] set) =>
        name => set.FirstOrDefault(v => v.Name == name).Value;

    private static string Folder(Environment.SpecialFolder folder) => folder switch
    {
        Environment.SpecialFolder.LocalApplicationData => "/profile/AppData/Local",
        Environment.SpecialFolder.UserProfile => "/profile",
        _ => throw new InvalidOperationException($"The resolver asked for {folder}."),
    };

    private static string Linux(string app, (string, string)[] variables, string? environment = null, string file = "data.db") =>
        ReposPaths.ResolveDatabasePath(app, file, environment, ReposPaths.Platform.Unix, Variables(variables), Folder);

    [Fact]
    public void Linux_UsesXdgDataHome()
    {
        Assert.Equal("/xdg/data/Symptoms/data.db", Linux("Symptoms", [("XDG_DATA_HOME", "/xdg/data"), ("HOME", "/home/ann")]));
    }

    [Fact]
    public void Linux_WithoutXdgDataHome_UsesLocalShareInHome()
    {
        Assert.Equal("/home/ann/.local/share/Symptoms/data.db", Linux("Symptoms", [("HOME", "/home/ann")]));
        Assert.Equal("/home/ann/.local/share/Symptoms/data.db", Linux("Symptoms", [("XDG_DATA_HOME", ""), ("HOME", "/home/ann")]));
        Assert.Equal("/profile/.local/share/Symptoms/data.db", Linux("Symptoms", []));
    }

    [Fact]
    public void Linux_IgnoresARelativeXdgDataHome()
    {
        Assert.Equal("/home/ann/.local/share/Symptoms/data.db", Linux("Symptoms", [("XDG_DATA_HOME", "data"), ("HOME", "/home/ann")]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WindowsAndMacOS_UseLocalApplicationData(bool windows)
    {
        ReposPaths.Platform platform = windows ? ReposPaths.Platform.Windows : ReposPaths.Platform.MacOS;

        string path = ReposPaths.ResolveDatabasePath("Symptoms", "symptoms.db", null, platform, Variables(("XDG_DATA_HOME", "/xdg")), Folder);

        Assert.Equal(Path.Combine("/profile/AppData/Local", "Symptoms", "symptoms.db"), path);
    }

    [Fact]
    public void Environments_OtherThanProduction_GetTheirOwnFolder()
    {
        (string, string)[] home = [("HOME", "/home/ann")];

        string production = Linux("Symptoms", home, "Production");
        string development = Linux("Symptoms", home, "Development");

        Assert.Equal("/home/ann/.local/share/Symptoms/data.db", production);
        Assert.Equal("/home/ann/.local/share/Symptoms/Development/data.db", development);
        Assert.Equal(development, Linux("Symptoms", home, "development"));
        Assert.Equal(production, Linux("Symptoms", home, "PRODUCTION"));
        Assert.Equal("/home/ann/.local/share/Symptoms/QA/data.db", Linux("Symptoms", home, "QA"));
    }

    [Fact]
    public void Environment_ComesFromDotnetThenAspNetCoreVariables_ElseProduction()
    {
        Assert.Equal("/h/.local/share/App/data.db", Linux("App", [("HOME", "/h")]));
        Assert.Equal("/h/.local/share/App/Development/data.db", Linux("App", [("HOME", "/h"), ("DOTNET_ENVIRONMENT", "Development")]));
        Assert.Equal("/h/.local/share/App/Staging/data.db", Linux("App", [("HOME", "/h"), ("ASPNETCORE_ENVIRONMENT", "staging")]));
        Assert.Equal("/h/.local/share/App/Development/data.db", Linux("App", [("HOME", "/h"), ("DOTNET_ENVIRONMENT", "Development"), ("ASPNETCORE_ENVIRONMENT", "Staging")]));
        Assert.Equal("/h/.local/share/App/data.db", Linux("App", [("HOME", "/h"), ("DOTNET_ENVIRONMENT", "Development")], environment: "Production"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("My/App")]
    [InlineData("My\\App")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("C:App")]
    [InlineData("App?")]
    [InlineData(" App")]
    [InlineData("App.")]
    [InlineData("CON")]
    [InlineData("nul.txt")]
    [InlineData("tab\there")]
    public void AppName_ThatIsNotAFolderName_IsRefused(string appName)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Linux(appName, [("HOME", "/h")]));

        Assert.Equal("appName", e.ParamName);
    }

    [Fact]
    public void FileNameAndEnvironment_ThatAreNotNames_AreRefused()
    {
        Assert.Equal("fileName", Assert.ThrowsAny<ArgumentException>(() => Linux("App", [("HOME", "/h")], file: "../data.db")).ParamName);
        Assert.Equal("environment", Assert.ThrowsAny<ArgumentException>(() => Linux("App", [("HOME", "/h")], environment: "a/b")).ParamName);
        Assert.Equal("environment", Assert.ThrowsAny<ArgumentException>(() => Linux("App", [("HOME", "/h"), ("DOTNET_ENVIRONMENT", "../x")])).ParamName);
    }

    [Fact]
    public void Linux_WithNoHomeAtAll_SaysSo()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            ReposPaths.ResolveDatabasePath("App", "data.db", null, ReposPaths.Platform.Unix, _ => null, _ => ""));

        Assert.Contains("HOME", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetDefaultDatabasePath_OnThisMachine_FollowsThePlatformRules()
    {
        string path = ReposPaths.GetDefaultDatabasePath("ReposTests", "x.db", "Development");

        string expected = OperatingSystem.IsLinux()
            ? Path.Combine(
                Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg) ? xdg : Path.Combine(Environment.GetEnvironmentVariable("HOME")!, ".local", "share"),
                "ReposTests",
                "Development",
                "x.db")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "ReposTests", "Development", "x.db");
        Assert.Equal(expected, path);
        Assert.Equal(Path.GetDirectoryName(path), ReposPaths.GetAppDataFolder("ReposTests", "Development"));
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)), "nothing is created");
    }

    [Fact]
    public async Task DefaultPath_InAChildProcessWithXdgDataHome_KeepsDevelopmentAndProductionApart()
    {
        // XDG_DATA_HOME is the Linux rule; elsewhere the child would write into the real per-user folder.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var folder = new TempDirectory();
        string production = await DefaultPathInChildAsync(folder.Path, environment: null);
        string development = await DefaultPathInChildAsync(folder.Path, environment: "Development");

        Assert.Equal(Path.Combine(folder.Path, "Symptoms", "data.db"), production);
        Assert.Equal(Path.Combine(folder.Path, "Symptoms", "Development", "data.db"), development);
        Assert.True(File.Exists(production));
        Assert.True(File.Exists(development));
    }

    /// <summary>Runs the second-process program with XDG_DATA_HOME and DOTNET_ENVIRONMENT set, and returns the path it opened.</summary>
    private static async Task<string> DefaultPathInChildAsync(string dataHome, string? environment)
    {
        var start = new System.Diagnostics.ProcessStartInfo(Packaging.ChildProcess.DotNetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ChildProgram.Path);
        start.ArgumentList.Add("default-path");
        start.ArgumentList.Add("Symptoms");
        start.Environment["XDG_DATA_HOME"] = dataHome;
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        if (environment is null)
        {
            start.Environment.Remove("DOTNET_ENVIRONMENT");
        }
        else
        {
            start.Environment["DOTNET_ENVIRONMENT"] = environment;
        }

        using System.Diagnostics.Process child = System.Diagnostics.Process.Start(start)!;
        Task<string> output = child.StandardOutput.ReadToEndAsync();
        Task<string> errors = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        Assert.True(child.ExitCode == 0, $"the child failed with {child.ExitCode}: {await errors}");
        return (await output).Trim();
    }
}
