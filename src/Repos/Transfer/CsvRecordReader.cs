namespace Repos.Transfer;

/// <summary>
/// Reads RFC 4180 records from a stream of UTF-8 (a BOM is passed over): fields split by commas, a quoted field may hold
/// commas, quotes (doubled) and line breaks, records end with CRLF or LF. Each field says whether it was quoted, so an
/// empty quoted field (an empty string) differs from an empty one (null). A record longer than the limit is refused.
/// </summary>
internal sealed class CsvRecordReader
{
    private readonly Stream _input;
    private readonly int _maxRecordBytes;
    private readonly List<(int Start, int Length, bool Quoted)> _fields = [];
    private byte[] _buffer = new byte[1 << 16];
    private byte[] _record = new byte[1 << 12];
    private int _recordLength;
    private int _position;
    private int _length;
    private bool _endOfInput;
    private bool _started;

    public CsvRecordReader(Stream input, int maxRecordBytes)
    {
        _input = input;
        _maxRecordBytes = maxRecordBytes;
    }

    /// <summary>The line the current record starts on, from 1.</summary>
    public long Line { get; private set; }

    private long _nextLine = 1;

    /// <summary>How many fields the current record has.</summary>
    public int Count => _fields.Count;

    /// <summary>A field of the current record, unquoted; valid until the next <see cref="Read"/>.</summary>
    public ReadOnlySpan<byte> Field(int index) => _record.AsSpan(_fields[index].Start, _fields[index].Length);

    /// <summary>Whether a field of the current record was quoted.</summary>
    public bool Quoted(int index) => _fields[index].Quoted;

    /// <summary>Reads the next record; false at the end of the input.</summary>
    /// <exception cref="CsvFormatException">A quote is not closed, text follows a closing quote, or the record is too long.</exception>
    public bool Read()
    {
        _fields.Clear();
        _recordLength = 0;
        Line = _nextLine;
        if (!_started)
        {
            _started = true;
            Fill();
            if (_length >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
            {
                _position = 3;
            }
        }

        if (!More())
        {
            return false;
        }

        int start = 0;
        bool quoted = false;
        while (true)
        {
            if (!More())
            {
                _fields.Add((start, _recordLength - start, quoted));
                return true;
            }

            byte b = _buffer[_position++];
            if (b == (byte)'"' && _recordLength == start && !quoted)
            {
                quoted = true;
                ReadQuoted();
                continue;
            }

            if (b == (byte)',')
            {
                _fields.Add((start, _recordLength - start, quoted));
                start = _recordLength;
                quoted = false;
                continue;
            }

            if (b == (byte)'\n' || b == (byte)'\r')
            {
                if (b == (byte)'\r' && More() && _buffer[_position] == (byte)'\n')
                {
                    _position++;
                }

                _nextLine++;
                _fields.Add((start, _recordLength - start, quoted));
                return true;
            }

            if (quoted)
            {
                throw new CsvFormatException(Line, _fields.Count, "text follows the closing quote of a field");
            }

            Append(b);
        }
    }

    private void ReadQuoted()
    {
        while (true)
        {
            if (!More())
            {
                throw new CsvFormatException(Line, _fields.Count, "a quoted field is not closed before the end of the input");
            }

            byte b = _buffer[_position++];
            if (b == (byte)'"')
            {
                if (More() && _buffer[_position] == (byte)'"')
                {
                    _position++;
                    Append(b);
                    continue;
                }

                return;
            }

            if (b == (byte)'\n')
            {
                _nextLine++;
            }

            Append(b);
        }
    }

    private void Append(byte b)
    {
        if (_recordLength == _record.Length)
        {
            if (_record.Length >= _maxRecordBytes)
            {
                throw new CsvFormatException(Line, _fields.Count, $"the record is longer than {_maxRecordBytes} bytes, the limit");
            }

            Array.Resize(ref _record, (int)Math.Min((long)_record.Length * 2, _maxRecordBytes));
        }

        _record[_recordLength++] = b;
    }

    private bool More()
    {
        if (_position < _length)
        {
            return true;
        }

        if (_endOfInput)
        {
            return false;
        }

        _position = 0;
        _length = 0;
        Fill();
        return _length > 0;
    }

    private void Fill()
    {
        while (_length < _buffer.Length && !_endOfInput)
        {
            int read = _input.Read(_buffer, _length, _buffer.Length - _length);
            if (read == 0)
            {
                _endOfInput = true;
            }

            _length += read;
        }
    }
}
