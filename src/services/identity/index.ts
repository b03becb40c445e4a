export { resolveViewer } from './viewer';
export { findUserByEmail, openSession } from './auth.service';
