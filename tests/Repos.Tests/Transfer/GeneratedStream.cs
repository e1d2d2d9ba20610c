using System.Text;

namespace Repos.Tests.Transfer;

/// <summary>
/// A stream of a prefix, a pattern repeated a number of times, and a suffix, made as it is read: a dump of
/// hundreds of megabytes that never exists in memory. <see cref="BytesRead"/> tells how far a reader got.
/// </summary>
internal sealed class GeneratedStream(byte[] prefix, byte[] pattern, long times, byte[] suffix) : Stream
{
    private readonly long _count = pattern.Length * times;
    private long _position;

    /// <summary>A stream of <paramref name="prefix"/>, <paramref name="count"/> times <paramref name="repeated"/>, and <paramref name="suffix"/>, as UTF-8.</summary>
    public GeneratedStream(string prefix, char repeated, long count, string suffix)
        : this(Encoding.UTF8.GetBytes(prefix), [(byte)repeated], count, Encoding.UTF8.GetBytes(suffix))
    {
    }

    public long BytesRead => _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => prefix.Length + _count + suffix.Length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int written = 0;
        while (written < buffer.Length && _position < Length)
        {
            Span<byte> rest = buffer[written..];
            int n;
            if (_position < prefix.Length)
            {
                n = Math.Min(rest.Length, prefix.Length - (int)_position);
                prefix.AsSpan((int)_position, n).CopyTo(rest);
            }
            else if (_position < prefix.Length + _count)
            {
                long at = _position - prefix.Length;
                int offset = (int)(at % pattern.Length);
                n = (int)Math.Min(Math.Min(rest.Length, pattern.Length - offset), prefix.Length + _count - _position);
                if (pattern.Length == 1)
                {
                    n = (int)Math.Min(rest.Length, prefix.Length + _count - _position);
                    rest[..n].Fill(pattern[0]);
                }
                else
                {
                    pattern.AsSpan(offset, n).CopyTo(rest);
                }
            }
            else
            {
                int at = (int)(_position - prefix.Length - _count);
                n = Math.Min(rest.Length, suffix.Length - at);
                suffix.AsSpan(at, n).CopyTo(rest);
            }

            written += n;
            _position += n;
        }

        return written;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
