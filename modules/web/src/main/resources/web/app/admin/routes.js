// The admin portal's pages (role admin), added to the app's routes by main.js.
import { adminHomePage, adminKeysPage, adminEventsPage } from './system.js';
import { adminProductsPage, adminProductPage, adminProductImportPage } from './products.js';
import { adminBroadcastsPage, adminBroadcastPage, adminBroadcastImportPage } from './broadcasts.js';
import { adminRecipesPage, adminRecipePage, adminRecipeImportPage } from './recipes.js';
import { adminUsersPage, adminUsagePage } from './users.js';

export const adminRoutes = [
  [/^\/admin$/, adminHomePage],
  [/^\/admin\/products$/, adminProductsPage],
  [/^\/admin\/products\/new$/, adminProductPage],
  [/^\/admin\/products\/import$/, adminProductImportPage],
  [/^\/admin\/products\/(\d+)$/, adminProductPage],
  [/^\/admin\/broadcasts$/, adminBroadcastsPage],
  [/^\/admin\/broadcasts\/new$/, adminBroadcastPage],
  [/^\/admin\/broadcasts\/import$/, adminBroadcastImportPage],
  [/^\/admin\/broadcasts\/(\d+)$/, adminBroadcastPage],
  [/^\/admin\/recipes$/, adminRecipesPage],
  [/^\/admin\/recipes\/new$/, adminRecipePage],
  [/^\/admin\/recipes\/import$/, adminRecipeImportPage],
  [/^\/admin\/recipes\/(\d+)$/, adminRecipePage],
  [/^\/admin\/users$/, adminUsersPage],
  [/^\/admin\/usage$/, adminUsagePage],
  [/^\/admin\/keys$/, adminKeysPage],
  [/^\/admin\/events$/, adminEventsPage],
];
