// X.501 Names as people read them. Matching never uses this text: issuers and subjects compare by their DER bytes.

import { Tag, DerElement, contents, decodeDirectoryString, decodeOid } from './der.js';

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/**
 * "CN=Example CA, O=Example, C=US": attributes in encoded order, multi-valued RDNs joined with "+".
 * Also checks the Name's structure (SEQUENCE OF SET OF SEQUENCE { OID, value }); throws DecodeError if malformed.
 */
export function formatName(name: DerElement): string {
  return relativeNames(name)
    .map((rdn) => rdn.map(({ oid, value }) => `${SHORT_NAMES[oid] ?? oid}=${value}`).join('+'))
    .join(', ');
}

const COMMON_NAME = '2.5.4.3';

/** The values of the Name's commonName attributes (the profile rules compare them with the subjectAltName). */
export function commonNames(name: DerElement): string[] {
  return relativeNames(name)
    .flat()
    .filter((a) => a.oid === COMMON_NAME)
    .map((a) => a.value);
}

// The one walk over a Name's structure, so that the text people read and the values the rules compare are decoded
// and validated alike.
function relativeNames(name: DerElement): { oid: string; value: string }[][] {
  const rdns: { oid: string; value: string }[][] = [];
  const r = contents(name, 'Name');
  while (!r.atEnd()) {
    const set = r.enter('RelativeDistinguishedName', Tag.SET);
    const attributes: { oid: string; value: string }[] = [];
    do {
      const atv = set.enter('AttributeTypeAndValue');
      const oid = decodeOid(atv.expect(Tag.OID, 'attribute type').value);
      const value = atv.read();
      atv.expectEnd('AttributeTypeAndValue');
      attributes.push({ oid, value: decodeDirectoryString(value) });
    } while (!set.atEnd());
    rdns.push(attributes);
  }
  return rdns;
}
