namespace Repos;

/// <summary>
/// Where an app's database files live by default: in the user's own application data folder, under the app's
/// name, with each environment other than Production in a folder of its own.
/// </summary>
/// <remarks>
/// <para>The per-user data folder is:</para>
/// <list type="bullet">
/// <item><description>Windows: the local application data folder (<c>%LOCALAPPDATA%</c>), which does not roam.</description></item>
/// <item><description>macOS: <c>~/Library/Application Support</c> (.NET's <see cref="Environment.SpecialFolder.LocalApplicationData"/>).</description></item>
/// <item><description>Linux and other Unix systems: <c>$XDG_DATA_HOME</c> when it is set to an absolute path, otherwise
/// <c>~/.local/share</c>, as the XDG Base Directory specification says.</description></item>
/// </list>
/// <para>
/// The environment is the one given, or else the <c>DOTNET_ENVIRONMENT</c> variable, or else
/// <c>ASPNETCORE_ENVIRONMENT</c>, or else Production. Production files sit in <c>&lt;data folder&gt;/&lt;app&gt;/</c>,
/// any other environment's in <c>&lt;data folder&gt;/&lt;app&gt;/&lt;environment&gt;/</c>, so a developer's test data
/// never mixes with the data they use the app with. A hosted app can pass its host's environment name.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// // ~/.local/share/SymptomTracker/symptoms.db in Production, .../SymptomTracker/Development/symptoms.db in Development
/// await using SymptomDb db = await SymptomDb.OpenAsync(ReposPaths.GetDefaultDatabasePath("SymptomTracker", "symptoms.db"));
/// </code>
/// </example>
public static class ReposPaths
{
    /// <summary>The file name <see cref="GetDefaultDatabasePath"/> uses when none is given.</summary>
    public const string DefaultFileName = "data.db";

    /// <summary>The environment whose files sit directly in the app's folder.</summary>
    public const string ProductionEnvironment = "Production";

    private static readonly char[] s_invalidNameChars =
        ['/', '\\', ':', '*', '?', '"', '<', '>', '|', .. Enumerable.Range(0, 32).Select(c => (char)c)];

    private static readonly string[] s_knownEnvironments = ["Development", "Staging", ProductionEnvironment];

    private static readonly string[] s_reservedNames =
    [
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];

    /// <summary>The platforms whose data folders differ.</summary>
    internal enum Platform
    {
        Windows,
        MacOS,
        Unix,
    }

    /// <summary>
    /// The full path of a database file in the app's data folder for the environment (see the remarks on
    /// <see cref="ReposPaths"/>). Nothing is created: <c>OpenAsync</c> creates the folder.
    /// </summary>
    /// <param name="appName">The app's name, used as a folder name: no path separators or characters a file name cannot have.</param>
    /// <param name="fileName">The database file's name, without folders.</param>
    /// <param name="environment">The environment, such as Development; null to read it from the process's environment variables.</param>
    /// <returns>The full path of the database file.</returns>
    /// <exception cref="ArgumentException"><paramref name="appName"/>, <paramref name="fileName"/> or <paramref name="environment"/> cannot be a file or folder name.</exception>
    /// <exception cref="InvalidOperationException">The user's data folder cannot be found (no home folder).</exception>
    public static string GetDefaultDatabasePath(string appName, string fileName = DefaultFileName, string? environment = null) =>
        ResolveDatabasePath(appName, fileName, environment, CurrentPlatform, Environment.GetEnvironmentVariable, GetFolder);

    /// <summary>
    /// The folder the app's files live in for the environment: <c>&lt;data folder&gt;/&lt;app&gt;</c> in Production,
    /// <c>&lt;data folder&gt;/&lt;app&gt;/&lt;environment&gt;</c> otherwise. Nothing is created.
    /// </summary>
    /// <param name="appName">The app's name, used as a folder name.</param>
    /// <param name="environment">The environment; null to read it from the process's environment variables.</param>
    /// <returns>The full path of the folder.</returns>
    /// <exception cref="ArgumentException"><paramref name="appName"/> or <paramref name="environment"/> cannot be a folder name.</exception>
    /// <exception cref="InvalidOperationException">The user's data folder cannot be found (no home folder).</exception>
    public static string GetAppDataFolder(string appName, string? environment = null) =>
        ResolveAppDataFolder(appName, environment, CurrentPlatform, Environment.GetEnvironmentVariable, GetFolder);

    /// <summary><see cref="GetDefaultDatabasePath(string, string, string?)"/> with the platform and the process's state given.</summary>
    internal static string ResolveDatabasePath(
        string appName,
        string fileName,
        string? environment,
        Platform platform,
        Func<string, string?> getVariable,
        Func<Environment.SpecialFolder, string> getFolder)
    {
        ValidateName(fileName, nameof(fileName), "file name");
        return Path.Combine(ResolveAppDataFolder(appName, environment, platform, getVariable, getFolder), fileName);
    }

    /// <summary><see cref="GetAppDataFolder(string, string?)"/> with the platform and the process's state given.</summary>
    internal static string ResolveAppDataFolder(
        string appName,
        string? environment,
        Platform platform,
        Func<string, string?> getVariable,
        Func<Environment.SpecialFolder, string> getFolder)
    {
        ValidateName(appName, nameof(appName), "app name");
        string name = ResolveEnvironment(environment, getVariable);
        string folder = Path.Combine(GetUserDataFolder(platform, getVariable, getFolder), appName);
        return name == ProductionEnvironment ? folder : Path.Combine(folder, name);
    }

    /// <summary>The environment given, or named by the process's variables, or Production; known names in their usual case.</summary>
    internal static string ResolveEnvironment(string? environment, Func<string, string?> getVariable)
    {
        string name;
        if (environment is not null)
        {
            ValidateName(environment, nameof(environment), "environment name");
            name = environment;
        }
        else
        {
            name = NonEmpty(getVariable("DOTNET_ENVIRONMENT")) ?? NonEmpty(getVariable("ASPNETCORE_ENVIRONMENT")) ?? ProductionEnvironment;
            ValidateName(name, nameof(environment), "environment name (from DOTNET_ENVIRONMENT or ASPNETCORE_ENVIRONMENT)");
        }

        // Environment names compare without case in .NET hosting; one spelling keeps one folder per environment.
        foreach (string known in s_knownEnvironments)
        {
            if (string.Equals(name, known, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return name;
    }

    /// <summary>The user's own application data folder on the platform.</summary>
    internal static string GetUserDataFolder(Platform platform, Func<string, string?> getVariable, Func<Environment.SpecialFolder, string> getFolder)
    {
        if (platform != Platform.Unix)
        {
            return NonEmpty(getFolder(Environment.SpecialFolder.LocalApplicationData))
                ?? throw new InvalidOperationException("The user's local application data folder cannot be found; pass the database path explicitly.");
        }

        // XDG Base Directory: a relative XDG_DATA_HOME is invalid and must be ignored.
        if (NonEmpty(getVariable("XDG_DATA_HOME")) is { } xdg && Path.IsPathRooted(xdg))
        {
            return xdg;
        }

        string home = NonEmpty(getVariable("HOME")) ?? NonEmpty(getFolder(Environment.SpecialFolder.UserProfile))
            ?? throw new InvalidOperationException("Neither XDG_DATA_HOME nor HOME is set, so the user's data folder cannot be found; pass the database path explicitly.");
        return Path.Combine(home, ".local", "share");
    }

    private static Platform CurrentPlatform =>
        OperatingSystem.IsWindows() ? Platform.Windows : OperatingSystem.IsMacOS() || OperatingSystem.IsMacCatalyst() ? Platform.MacOS : Platform.Unix;

    private static string GetFolder(Environment.SpecialFolder folder) => Environment.GetFolderPath(folder, Environment.SpecialFolderOption.DoNotVerify);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>Refuses a name that is not one portable file or folder name: the same rules on every platform.</summary>
    private static void ValidateName(string value, string parameter, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, parameter);
        string? problem =
            value.IndexOfAny(s_invalidNameChars) >= 0 ? "it contains a path separator or a character file names cannot have (\\ / : * ? \" < > | or a control character)"
            : value is "." or ".." ? "it names a folder relative to another"
            : value.Trim() != value || value.EndsWith('.') ? "it starts or ends with a space, or ends with a dot"
            : Array.Exists(s_reservedNames, r => string.Equals(r, value.Split('.')[0], StringComparison.OrdinalIgnoreCase)) ? "Windows reserves it for a device"
            : null;
        if (problem is not null)
        {
            throw new ArgumentException($"The {what} '{value}' cannot be used as a file or folder name: {problem}.", parameter);
        }
    }
}
