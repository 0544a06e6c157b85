using Traceability.Core.Hashing;

namespace Traceability.Core.Tests.Hashing;

/// <summary>The example of the EIP-712 specification, with its published hashes.</summary>
[Trait("Category", "Fast")]
public class Eip712EncoderTests
{
    private static readonly Eip712Schema MailSchema = new(
        new Eip712StructType("Person", [new("name", "string"), new("wallet", "address")]),
        new Eip712StructType("Mail", [new("from", "Person"), new("to", "Person"), new("contents", "string")]));

    private static readonly Eip712Struct Mail = new("Mail",
    [
        new Eip712Struct("Person", ["Cow", "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"]),
        new Eip712Struct("Person", ["Bob", "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"]),
        "Hello, Bob!",
    ]);

    [Fact]
    public void Encodes_the_type_with_its_dependencies_sorted()
    {
        Assert.Equal("Mail(Person from,Person to,string contents)Person(string name,address wallet)", MailSchema.EncodeType("Mail"));
        Assert.Equal("0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2", MailSchema.TypeHash("Mail").ToString());
    }

    [Fact]
    public void Hashes_the_struct_as_the_specification_does()
    {
        Assert.Equal("0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e",
            Eip712Encoder.HashStruct(MailSchema, Mail).ToString());
    }

    [Fact]
    public void Computes_the_domain_separator_and_digest_of_the_specification()
    {
        var domainSchema = new Eip712Schema(new Eip712StructType("EIP712Domain",
            [new("name", "string"), new("version", "string"), new("chainId", "uint256"), new("verifyingContract", "address")]));
        var separator = Eip712Encoder.HashStruct(domainSchema,
            new Eip712Struct("EIP712Domain", ["Ether Mail", "1", 1UL, "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"]));
        Assert.Equal("0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f", separator.ToString());
        Assert.Equal("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2",
            Eip712Encoder.Digest(separator, Eip712Encoder.HashStruct(MailSchema, Mail)).ToString());
    }

    [Fact]
    public void Refuses_a_value_of_the_wrong_type_or_count()
    {
        Assert.Throws<ArgumentException>(() => Eip712Encoder.HashStruct(MailSchema, new Eip712Struct("Person", ["Cow"])));
        Assert.Throws<ArgumentException>(() => Eip712Encoder.HashStruct(MailSchema, new Eip712Struct("Person", [42UL, "0x00"])));
    }
}
