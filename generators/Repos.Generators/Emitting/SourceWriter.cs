using System;
using System.Text;

namespace Repos.Generators.Emitting;

/// <summary>Builds emitted C# text line by line with consistent four-space indentation.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    public SourceWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            _builder.Append(' ', _indent * 4);
            _builder.Append(text);
        }

        _builder.Append('\n');
        return this;
    }

    /// <summary>Writes <paramref name="header"/>, an opening brace, and indents until the returned scope is disposed.</summary>
    public Scope Block(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return new Scope(this, "}");
    }

    /// <summary>Like <see cref="Block"/>, for a block that ends with a semicolon (object initialisers).</summary>
    public Scope StatementBlock(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return new Scope(this, "};");
    }

    public void Indent() => _indent++;

    public void Unindent() => _indent = Math.Max(0, _indent - 1);

    public override string ToString() => _builder.ToString();

    public readonly struct Scope : IDisposable
    {
        private readonly SourceWriter _writer;
        private readonly string _closing;

        public Scope(SourceWriter writer, string closing)
        {
            _writer = writer;
            _closing = closing;
        }

        public void Dispose()
        {
            _writer.Unindent();
            _writer.Line(_closing);
        }
    }
}
