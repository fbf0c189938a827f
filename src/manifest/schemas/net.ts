// Address and port fields every API family shares: the L4 protocol, a port number or name, a CIDR.
import { z } from 'zod';
import { checkedString, cidrProblem } from '../../input/ip.ts';

/** An IANA service name as Kubernetes takes it for a named port: lowercase, at least one letter. */
export const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const protocol = z.enum(['TCP', 'UDP', 'SCTP']);
export type Protocol = z.infer<typeof protocol>;
export const portNumber = z.number().int().min(1).max(65535);

// As Go's netip.ParsePrefix reads it (input/ip.ts): ipaddr.js alone would read 010.0.0.0/8 as 8.0.0.0/8.
export const cidr = checkedString(cidrProblem);
