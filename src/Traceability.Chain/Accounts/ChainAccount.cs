using Nethereum.KeyStore;
using Nethereum.Signer;

namespace Traceability.Chain.Accounts;

/// <summary>A signing key and its address. Its text form never shows the key.</summary>
public sealed class ChainAccount
{
    /// <summary>An account of <paramref name="key"/>.</summary>
    public ChainAccount(EthECKey key)
    {
        Key = key;
        Address = key.GetPublicAddress();
    }

    /// <summary>The key.</summary>
    public EthECKey Key { get; }

    /// <summary>The checksummed address.</summary>
    public string Address { get; }

    /// <summary>The account of a Web3 Secret Storage (JSON keystore) file's text.</summary>
    public static ChainAccount FromKeystore(string keystoreJson, string password)
    {
        byte[] privateKey;
        try
        {
            privateKey = new KeyStoreService().DecryptKeyStoreFromJson(password, keystoreJson);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new FormatException($"cannot open the keystore: {(e.Message.Contains("mac", StringComparison.OrdinalIgnoreCase) ? "wrong password" : e.Message)}", e);
        }
        return new ChainAccount(new EthECKey(privateKey, true));
    }

    /// <summary>An encrypted keystore JSON of this account (scrypt), for tests and set-up tools.</summary>
    public string ToKeystore(string password) =>
        new KeyStoreService().EncryptAndGenerateDefaultKeyStoreAsJson(password, Key.GetPrivateKeyAsBytes(), Address);

    /// <inheritdoc />
    public override string ToString() => Address;
}
