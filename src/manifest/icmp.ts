// ICMP types as Cilium's policy language names them (pkg/policy/api/icmp.go): a number 0-255, or a CamelCase name
// of the rule's family (IPv4 unless `family: IPv6`). A name of the other family is an error there, and here.
export type IcmpFamily = 'IPv4' | 'IPv6';

const IPV4: Record<string, number> = {
  EchoReply: 0,
  DestinationUnreachable: 3,
  Redirect: 5,
  Echo: 8,
  EchoRequest: 8,
  RouterAdvertisement: 9,
  RouterSelection: 10,
  TimeExceeded: 11,
  ParameterProblem: 12,
  Timestamp: 13,
  TimestampReply: 14,
  Photuris: 40,
  ExtendedEchoRequest: 42,
  ExtendedEchoReply: 43,
};
const IPV6: Record<string, number> = {
  DestinationUnreachable: 1,
  PacketTooBig: 2,
  TimeExceeded: 3,
  ParameterProblem: 4,
  EchoRequest: 128,
  EchoReply: 129,
  MulticastListenerQuery: 130,
  MulticastListenerReport: 131,
  MulticastListenerDone: 132,
  RouterSolicitation: 133,
  RouterAdvertisement: 134,
  NeighborSolicitation: 135,
  NeighborAdvertisement: 136,
  RedirectMessage: 137,
  RouterRenumbering: 138,
  ICMPNodeInformationQuery: 139,
  ICMPNodeInformationResponse: 140,
  InverseNeighborDiscoverySolicitation: 141,
  InverseNeighborDiscoveryAdvertisement: 142,
  HomeAgentAddressDiscoveryRequest: 144,
  HomeAgentAddressDiscoveryReply: 145,
  MobilePrefixSolicitation: 146,
  MobilePrefixAdvertisement: 147,
  DuplicateAddressRequestCodeSuffix: 157,
  DuplicateAddressConfirmationCodeSuffix: 158,
  ExtendedEchoRequest: 160,
  ExtendedEchoReply: 161,
};

/** The type number of an icmps field, or undefined when the name is not one of its family. */
export function icmpTypeNumber(type: number | string, family: IcmpFamily = 'IPv4'): number | undefined {
  if (typeof type === 'number') return type;
  if (/^\d+$/.test(type)) return Number(type);
  return Object.hasOwn(family === 'IPv6' ? IPV6 : IPV4, type) ? (family === 'IPv6' ? IPV6 : IPV4)[type] : undefined;
}
