import type { ReactNode } from "react";

export const metadata = {
    title: "webfleet gateway",
    description: "JSON-RPC gateway served by the webfleet fleet.",
};

export default function RootLayout({ children }: { readonly children: ReactNode }) {
    return (
        <html lang="en">
            <body>{children}</body>
        </html>
    );
}
