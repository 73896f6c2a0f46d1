using System.Text;

namespace CelConformance;

/// <summary>A decoded quoted value: bytes, read as UTF-8 where a string is meant.</summary>
internal sealed record ProtoBytes(byte[] Bytes)
{
    public string Text => Encoding.UTF8.GetString(Bytes);
}
