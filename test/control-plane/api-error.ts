import { ApiException } from '@kubernetes/client-node';

/** The API error a call fails with: HTTP status and the Status message, as kubectl shows it. */
export async function apiError(call: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof ApiException)) throw error;
    const body: unknown = typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
    const message = typeof body === 'object' && body !== null && 'message' in body ? String(body.message) : String(error.body);
    return { code: error.code, message };
  }
  throw new Error('expected the API call to fail');
}
