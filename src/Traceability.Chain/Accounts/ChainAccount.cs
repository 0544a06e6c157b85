using Nethereum.KeyStore;
using Nethereum.Signer;
using Traceability.Chain.Signing;

namespace Traceability.Chain.Accounts;

/// <summary>
/// A signing account and its address: a key held here, or a <see cref="RemoteSigner"/> that holds
/// it elsewhere. Its text form never shows the key.
/// </summary>
public sealed class ChainAccount
{
    private readonly EthECKey? _key;

    /// <summary>An account of <paramref name="key"/>.</summary>
    public ChainAccount(EthECKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
        Address = key.GetPublicAddress();
    }

    private ChainAccount(RemoteSigner signer, string address)
    {
        Signer = signer;
        Address = Nethereum.Util.AddressUtil.Current.ConvertToChecksumAddress(address);
    }

    /// <summary>The account <paramref name="address"/> whose key <paramref name="signer"/> holds.</summary>
    public static ChainAccount Remote(RemoteSigner signer, string address)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(address);
        return new ChainAccount(signer, address);
    }

    /// <summary>The key, when it is held here.</summary>
    /// <exception cref="InvalidOperationException">The key is held by a remote signer (<see cref="Signer"/>).</exception>
    public EthECKey Key => _key ?? throw new InvalidOperationException($"the key of {Address} is held by the remote signer {Signer!.Url}, not here");

    /// <summary>The remote signer holding the key, or null when the key is held here.</summary>
    public RemoteSigner? Signer { get; }

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
