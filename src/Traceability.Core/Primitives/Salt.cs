using System.Security.Cryptography;

namespace Traceability.Core.Primitives;

/// <summary>Random 32-byte salts from the operating system's cryptographic generator.</summary>
public static class Salt
{
    /// <summary>A fresh salt; never zero.</summary>
    public static Hash32 New()
    {
        Span<byte> bytes = stackalloc byte[32];
        Hash32 salt;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            salt = Hash32.FromBytes(bytes);
        } while (salt.IsZero);
        return salt;
    }
}
