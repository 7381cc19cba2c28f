"""PAdES signatures with pyHanko, and for local runs a CA and signing certificate made once in a folder."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko import stamp
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from documents.adapters.render import PERU, latin1

REASON = "Soy el autor del documento"


@dataclass(frozen=True)
class SigningIdentity:
    key_file: Path
    cert_file: Path
    chain_files: tuple[Path, ...] = ()


def _key(path: Path) -> rsa.RSAPrivateKey:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return key


def _cert(subject: str, key, issuer: str, issuer_key, ca: bool) -> x509.Certificate:
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    return builder.sign(issuer_key, hashes.SHA256())


def local_signing_identity(folder: Path) -> SigningIdentity:
    """A local CA and a signing certificate in ``folder``, made on the first call and reused after."""
    folder.mkdir(parents=True, exist_ok=True)
    identity = SigningIdentity(folder / "signing-key.pem", folder / "signing-cert.pem", (folder / "ca-cert.pem",))
    if identity.key_file.exists() and identity.cert_file.exists() and identity.chain_files[0].exists():
        return identity
    ca_key = _key(folder / "ca-key.pem")
    ca_name = "CA local del Programa CONTIGO (solo pruebas)"
    ca = _cert(ca_name, ca_key, ca_name, ca_key, ca=True)
    key = _key(identity.key_file)
    cert = _cert("Programa CONTIGO - firma de documentos (local)", key, ca_name, ca_key, ca=False)
    identity.chain_files[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    identity.cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return identity


def sign_pdf(data: bytes, identity: SigningIdentity, signer_name: str, signer_role: str, at: datetime) -> bytes:
    """The PDF signed (PAdES) with a visible stamp on its last page. Blocking: call it off the event loop."""
    signer = signers.SimpleSigner.load(
        str(identity.key_file), str(identity.cert_file), ca_chain_files=tuple(str(p) for p in identity.chain_files)
    )
    lima = at.astimezone(PERU)
    text = latin1(
        f"Firmado digitalmente por: {signer_name} - {signer_role}\nMotivo: {REASON}\n"
        f"Fecha: {lima:%d/%m/%Y %H:%M:%S} -05:00"
    )
    meta = signers.PdfSignatureMetadata(field_name="Firma", reason=REASON, subfilter=fields.SigSeedSubFilter.PADES)
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        stamp_style=stamp.TextStampStyle(stamp_text=text, border_width=1),
        new_field_spec=fields.SigFieldSpec("Firma", on_page=-1, box=(40, 40, 330, 95)),
    )
    out = pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)))
    return out.getvalue()


def signature_report(data: bytes, trust_roots: tuple[Path, ...] = ()) -> tuple[str | None, bool]:
    """(who signed, whether the signature covers the whole file and its digest matches); (None, False) unsigned."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
        if not signatures:
            return None, False
        roots = [load_cert_from_pemder(str(p)) for p in trust_roots]
        status = validate_pdf_signature(signatures[-1], ValidationContext(trust_roots=roots or None))
    except Exception:  # noqa: BLE001 - a damaged file is simply not intact
        return None, False
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    return status.signing_cert.subject.native["common_name"], bool(status.intact and status.valid and whole)
