using System.Text.Encodings.Web;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Repos.Cli.Output;

/// <summary>
/// Where a command writes: tables and progress for a person, or exactly one JSON document for a script
/// (<c>--json</c>), and its errors on stderr.
/// </summary>
internal sealed class CliOutput
{
    // Redirected output is read by programs and kept in files: no line is wrapped to fit a screen.
    private const int RedirectedWidth = 4096;

    private static readonly JsonWriterOptions s_jsonOptions = new()
    {
        Indented = true,

        // A note in Greek stays Greek: the document is read by scripts and people, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly IAnsiConsole _console;

    public CliOutput(bool json, bool verbose)
    {
        Json = json;
        Verbose = verbose;
        bool redirected = System.Console.IsOutputRedirected;
        _console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(System.Console.Out),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected)
        {
            _console.Profile.Width = RedirectedWidth;
        }

        ShowsProgress = !json && !redirected;
    }

    /// <summary>Whether the command prints one JSON document instead of tables.</summary>
    public bool Json { get; }

    /// <summary>Whether errors are printed with their stack traces.</summary>
    public bool Verbose { get; }

    /// <summary>Whether long work shows a progress bar: only on a terminal, and never with <c>--json</c>.</summary>
    public bool ShowsProgress { get; }

    /// <summary>Runs <paramref name="work"/>, with a spinner saying <paramref name="status"/> while it goes when progress is shown.</summary>
    public Task<T> WithStatusAsync<T>(string status, Func<Task<T>> work) =>
        ShowsProgress ? _console.Status().StartAsync(status, _ => work()) : work();

    /// <summary>The console tables and progress bars go to (stdout).</summary>
    public IAnsiConsole Console => _console;

    /// <summary>Writes one renderable (a table, a grid) to stdout.</summary>
    public void Write(IRenderable renderable) => _console.Write(renderable);

    /// <summary>Writes one line of plain text to stdout (no markup is interpreted).</summary>
    public void Line(string text) => _console.Write(new Text(text + Environment.NewLine));

    /// <summary>Writes the command's JSON document to stdout, then a newline.</summary>
    public void WriteJson(Action<Utf8JsonWriter> write)
    {
        using Stream stdout = System.Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout, s_jsonOptions))
        {
            write(writer);
        }

        stdout.Write("\n"u8);
        stdout.Flush();
    }

    /// <summary>Prints the error on stderr (one line, or the whole exception with <c>--verbose</c>) and returns its exit code.</summary>
    public int Fail(Exception exception)
    {
        int exitCode = ErrorReport.ExitCodeOf(exception);
        string message = ErrorReport.MessageOf(exception);
        System.Console.Error.WriteLine("repos: " + message);
        if (Verbose)
        {
            System.Console.Error.WriteLine(exception.ToString());
        }

        if (Json)
        {
            WriteJson(json =>
            {
                json.WriteStartObject();
                json.WriteStartObject("error");
                json.WriteString("message", message);
                json.WriteNumber("exitCode", exitCode);
                json.WriteString("type", exception.GetType().Name);
                json.WriteEndObject();
                json.WriteEndObject();
            });
        }

        return exitCode;
    }
}
