using System.Buffers;
using System.Globalization;
using System.Text.Unicode;

namespace Repos.Benchmarks.Csv;

/// <summary>
/// The hand-written baseline: a minimal RFC 4180 writer that formats straight to UTF-8 in a pooled buffer and hands
/// the buffer to a stream when it is half full. A field is quoted only when it holds a comma, a quote, CR or LF; a
/// quote inside is doubled; records end with CRLF.
/// </summary>
internal sealed class Utf8CsvWriter : IDisposable
{
    private const int BufferSize = 64 * 1024;

    private static readonly SearchValues<char> s_needsQuotes = SearchValues.Create(",\"\r\n");

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _position;
    private bool _inRecord;

    public Utf8CsvWriter(Stream stream)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    public void WriteField(ReadOnlySpan<char> value)
    {
        WriteSeparator();
        int special = value.IndexOfAny(s_needsQuotes);
        if (special < 0)
        {
            Ensure(value.Length * 3);
            Utf8.FromUtf16(value, _buffer.AsSpan(_position), out _, out int written);
            _position += written;
            return;
        }

        // Every char is at most 3 bytes, a doubled quote 2, and the field gets 2 quotes around it.
        Ensure((value.Length * 3) + 2);
        Span<byte> destination = _buffer.AsSpan();
        destination[_position++] = (byte)'"';
        while (true)
        {
            int quote = value.IndexOf('"');
            ReadOnlySpan<char> part = quote < 0 ? value : value[..(quote + 1)];
            Utf8.FromUtf16(part, destination[_position..], out _, out int written);
            _position += written;
            if (quote < 0)
            {
                break;
            }

            destination[_position++] = (byte)'"';
            value = value[(quote + 1)..];
        }

        destination[_position++] = (byte)'"';
    }

    /// <summary>A value that formats itself, with the invariant culture; its text never needs quotes.</summary>
    public void WriteField<T>(T value, ReadOnlySpan<char> format = default)
        where T : IUtf8SpanFormattable
    {
        WriteSeparator();
        if (!value.TryFormat(_buffer.AsSpan(_position), out int written, format, CultureInfo.InvariantCulture))
        {
            // A formatted value is far shorter than the buffer: one that does not fit fits once it is flushed.
            FlushBuffer();
            if (!value.TryFormat(_buffer.AsSpan(_position), out written, format, CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException($"a {typeof(T).Name} formats to more than {_buffer.Length} bytes");
            }
        }

        _position += written;
    }

    public void EndRecord()
    {
        Ensure(2);
        _buffer[_position++] = (byte)'\r';
        _buffer[_position++] = (byte)'\n';
        _inRecord = false;
        if (_position >= _buffer.Length / 2)
        {
            FlushBuffer();
        }
    }

    public void Flush()
    {
        FlushBuffer();
        _stream.Flush();
    }

    public void Dispose()
    {
        if (_buffer.Length == 0)
        {
            return;
        }

        FlushBuffer();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void WriteSeparator()
    {
        if (_inRecord)
        {
            Ensure(1);
            _buffer[_position++] = (byte)',';
        }

        _inRecord = true;
    }

    private void Ensure(int length)
    {
        if (_buffer.Length - _position >= length)
        {
            return;
        }

        FlushBuffer();
        if (_buffer.Length < length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(length);
        }
    }

    private void FlushBuffer()
    {
        _stream.Write(_buffer, 0, _position);
        _position = 0;
    }
}
