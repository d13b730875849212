// PatchbayWeb
