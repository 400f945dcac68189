import { createContext, useContext } from 'react';
import type { ConnectionTest } from '../connection-test/useConnectionTest';

/** The window's connection test panel: a next certificate's test shows its steps there, as a secret renewal does. */
export const CertificateTesterContext = createContext<ConnectionTest | null>(null);

export const useCertificateTester = (): ConnectionTest | null => useContext(CertificateTesterContext);
