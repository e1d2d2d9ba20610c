using System.Diagnostics;
using System.Text;
using Repos.Serialization;

namespace Repos.Tests.Serialization;

/// <summary>Our LZ4 blocks inside frames read by the real <c>lz4</c> command, and its frames read by us.</summary>
public sealed class Lz4CommandInteropTests : IDisposable
{
    private const string Lz4Command = "lz4";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("repos-lz4-").FullName;

    public static TheoryData<string> Cases => new()
    {
        "empty", "1 byte", "13 bytes", "random 64KB", "zeros 1MB", "period 3 x 5000", "text 1MiB",
        "entities 600", "entities 4194304", "text 64KB+11+0", "long match 300KB",
    };

    public static TheoryData<string, string> CommandOptions => new()
    {
        { "text 1MiB", "" },
        { "text 1MiB", "-B4 -BX --content-size" }, // 64 KB blocks, block checksums, content size in the header
        { "text 1MiB", "-9" },                      // LZ4 HC: blocks from another encoder
        { "entities 4194304", "-12" },
        { "entities 4194304", "-B5 --no-frame-crc" },
        { "random 64KB", "" },                      // incompressible: stored blocks
        { "zeros 1MB", "-B4" },
        { "empty", "" },
    };

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void XxHash32_KnownVectors_MatchSpecification()
    {
        Assert.Equal(0x02CC5D05u, XxHash32.Hash([]));
        Assert.Equal(0x550D7456u, XxHash32.Hash("a"u8));
        Assert.Equal(0x32D153FFu, XxHash32.Hash("abc"u8));

        // Longer than one 16-byte stripe; the value is the content checksum `lz4` writes for this text.
        Assert.Equal(0xE2293B2Fu, XxHash32.Hash("Nobody inspects the spammish repetition"u8));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compress_FrameOfOurBlocks_DecompressesWithLz4Command(string name)
    {
        byte[] input = Lz4Cases.Get(name);
        byte[] frame = Lz4Frame.Write(input, out int compressedBlocks);
        if (input.Length > 100 && !name.StartsWith("random", StringComparison.Ordinal))
        {
            Assert.True(compressedBlocks > 0, "the frame should hold at least one of our compressed blocks");
        }

        string framePath = Path.Combine(_directory, "ours.lz4");
        string outputPath = Path.Combine(_directory, "ours.out");
        File.WriteAllBytes(framePath, frame);

        RunLz4($"-d -f -q \"{framePath}\" \"{outputPath}\"");

        byte[] decoded = File.ReadAllBytes(outputPath);
        Assert.Equal(input.Length, decoded.Length);
        Assert.True(input.AsSpan().SequenceEqual(decoded), $"{name}: lz4 -d produced different bytes");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decompress_BlocksOfLz4CommandFrame_ReturnsOriginal(string name) =>
        DecompressLz4CommandOutput(name, "");

    [Theory]
    [MemberData(nameof(CommandOptions))]
    public void Decompress_BlocksOfLz4CommandFrameWithOptions_ReturnsOriginal(string name, string options) =>
        DecompressLz4CommandOutput(name, options);

    private void DecompressLz4CommandOutput(string name, string options)
    {
        byte[] input = Lz4Cases.Get(name);
        string inputPath = Path.Combine(_directory, "input.bin");
        string framePath = Path.Combine(_directory, "theirs.lz4");
        File.WriteAllBytes(inputPath, input);

        RunLz4($"-z -f -q {options} \"{inputPath}\" \"{framePath}\"");

        byte[] decoded = Lz4Frame.Read(File.ReadAllBytes(framePath), out int compressedBlocks);
        Assert.Equal(input.Length, decoded.Length);
        Assert.True(input.AsSpan().SequenceEqual(decoded), $"{name} ({options}): our decoder produced different bytes");
        if (input.Length > 100 && !name.StartsWith("random", StringComparison.Ordinal))
        {
            Assert.True(compressedBlocks > 0, "lz4 should have compressed at least one block");
        }
    }

    private static void RunLz4(string arguments)
    {
        var startInfo = new ProcessStartInfo(Lz4Command, arguments)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException("Process.Start returned null");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException(
                $"The `{Lz4Command}` command is not installed; install it with `apt-get install lz4` (Debian/Ubuntu). " +
                "These tests check our blocks against the reference tool and must not be skipped.", exception);
        }

        using (process)
        {
            Task<string> standardError = process.StandardError.ReadToEndAsync();
            Task<string> standardOutput = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(s_timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"`lz4 {arguments}` did not finish within {s_timeout.TotalSeconds} s");
            }

            process.WaitForExit();
            var message = new StringBuilder()
                .Append($"`lz4 {arguments}` exited with {process.ExitCode}: ")
                .Append(standardError.Result).Append(standardOutput.Result);
            Assert.True(process.ExitCode == 0, message.ToString());
        }
    }
}
