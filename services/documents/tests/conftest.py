"""PDFs the documents tests upload, built here: plain, encrypted, with JavaScript, with an
attachment, digitally signed with a self-signed certificate, and oversized."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from fpdf import FPDF
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject


def _write(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _self_signed(common_name: str) -> signers.SimpleSigner:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
        cert_registry=None,
    )


@dataclass(frozen=True)
class Samples:
    signer_name: str
    _signer: signers.SimpleSigner

    def plain(self, text: str = "DDC firmado y sellado por la autoridad") -> bytes:
        pdf = FPDF()
        pdf.set_compression(False)  # so a test can find and alter the text in the bytes
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.cell(text=text)
        return bytes(pdf.output())

    def _edit(self) -> PdfWriter:
        return PdfWriter(clone_from=PdfReader(io.BytesIO(self.plain())))

    def encrypted(self) -> bytes:
        writer = self._edit()
        writer.encrypt("secreto")
        return _write(writer)

    def javascript_on_open(self) -> bytes:
        writer = self._edit()
        writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1);")}
        )
        return _write(writer)

    def javascript_in_names(self) -> bytes:
        writer = self._edit()
        writer.add_open_action(JavaScript("this.print({bUI:true});"))
        return _write(writer)

    def with_attachment(self) -> bytes:
        writer = self._edit()
        writer.add_attachment("datos.xlsx", b"PK\x03\x04 not really a spreadsheet")
        return _write(writer)

    def signed(self, data: bytes | None = None) -> bytes:
        # pyHanko's synchronous API runs an event loop of its own: keep it off the test's loop.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(self._sign, data or self.plain()).result()

    def _sign(self, data: bytes) -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
        meta = signers.PdfSignatureMetadata(field_name="FirmaAutoridad")
        return signers.sign_pdf(writer, meta, signer=self._signer).getvalue()

    def oversized(self, size: int) -> bytes:
        """A well-formed PDF of at least ``size`` bytes (padding in its metadata)."""
        writer = self._edit()
        writer.add_metadata({"/Relleno": "x" * size})
        return _write(writer)


@pytest.fixture(scope="session")
def samples() -> Samples:
    return Samples("Rosa Huamán Ñique", _self_signed("Rosa Huamán Ñique"))
