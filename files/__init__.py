"""File transfer: encrypted storage, resumable uploads, share links, download-then-delete, 3D checks.

Modules, by what they answer:
    storage      where ciphertext lives (local folder or S3-compatible), and nothing else
    crypto       how bytes are encrypted at rest (AES-256-GCM chunks, wrapped data keys)
    operations   store, read, delete a file; record a download; the file expiry sweep
    uploads      resumable chunked uploads
    links        share links: create, resolve, download, end; the link expiry sweep
    permissions  who may read, delete or share a file
    meshes       STL/PLY/OBJ checks (mesh_formats holds the readers)
    locks        row locks, in one order (link, then file)
    rollback     storage writes undone when their unit of work rolls back
"""
