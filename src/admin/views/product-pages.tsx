// Catalog pages of the back office: product list, new product, edit (variants, prices, stock).
import type { Selectable } from 'kysely';
import type { CategoryTable, ProductTable, VariantTable } from '../../db/schema.ts';
import { formatDateTime, formatYen } from '../../i18n/locale.ts';
import { localized } from '../../layout/view-context.ts';
import { CsrfField, type AdminViewContext } from './admin-layout.tsx';
import { categoryMessages, productPublishingMessages } from '../category-messages.ts';
import { instantToWallTime } from '../../incidents/legal-deadlines.ts';

type Category = Selectable<CategoryTable>;

export interface ProductListRow { id: number; slug: string; name_ja: string; name_en: string; status: string; tax_rate: number; min_price: number | null; total_stock: number | null }

export function ProductListPage({ ctx, products }: { ctx: AdminViewContext; products: ProductListRow[] }) {
  const c = ctx.m.catalog;
  return (
    <section>
      <h1>{c.title}</h1>
      <p><a href="/admin/products/new">{c.newProduct}</a> · <a href="/admin/products/import">{c.importExport}</a> · <a href="/admin/categories">{categoryMessages(ctx.locale).manage}</a></p>
      <table class="cart-table">
        <caption class="visually-hidden">{c.title}</caption>
        <thead><tr><th scope="col">{c.name}</th><th scope="col">{c.status}</th><th scope="col">{c.taxRate}</th><th scope="col">{c.price}</th><th scope="col">{c.stock}</th></tr></thead>
        <tbody>
          {products.map((p) => (
            <tr>
              <th scope="row"><a href={`/admin/products/${p.id}`}>{localized(ctx.locale, p.name_ja, p.name_en)}</a></th>
              <td>{p.status === 'active' ? c.active : c.archived}</td>
              <td>{p.tax_rate}%</td>
              <td>{p.min_price === null ? '—' : formatYen(Number(p.min_price))}</td>
              <td>{Number(p.total_stock ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export type ProductFormValues = Partial<Record<'slug' | 'categoryId' | 'nameJa' | 'nameEn' | 'descriptionJa' | 'descriptionEn' | 'reading' | 'taxRate' | 'status' | 'sku' | 'variantNameJa' | 'variantNameEn' | 'price' | 'stock' | 'publication' | 'publishAt', string>>;

function Field({ id, label, value, type = 'text', required = true, textarea = false, extra = {} }: { id: string; label: string; value: string | undefined; type?: 'text' | 'number'; required?: boolean; textarea?: boolean; extra?: Record<string, unknown> }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {textarea
        ? <textarea id={id} name={id} required={required} rows={4}>{value ?? ''}</textarea>
        : type === 'number'
          ? <input id={id} name={id} type="number" required={required} value={value ?? ''} {...extra} />
          : <input id={id} name={id} type="text" required={required} value={value ?? ''} {...extra} />}
    </div>
  );
}

function ProductFields({ ctx, categories, values }: { ctx: AdminViewContext; categories: Category[]; values: ProductFormValues }) {
  const c = ctx.m.catalog;
  const pm = productPublishingMessages(ctx.locale);
  return (
    <>
      <Field id="nameJa" label={c.nameJa} value={values.nameJa} />
      <Field id="nameEn" label={c.nameEn} value={values.nameEn} />
      <Field id="slug" label={pm.slugHint} value={values.slug} required={false} extra={{ pattern: '[a-z0-9]+(-[a-z0-9]+)*', maxlength: 80 }} />
      <div class="field">
        <label for="categoryId">{c.category}</label>
        <select id="categoryId" name="categoryId">
          {categories.map((cat) => <option value={String(cat.id)} selected={String(cat.id) === values.categoryId}>{localized(ctx.locale, cat.name_ja, cat.name_en)}</option>)}
        </select>
      </div>
      <Field id="descriptionJa" label={c.descriptionJa} value={values.descriptionJa} textarea />
      <Field id="descriptionEn" label={c.descriptionEn} value={values.descriptionEn} textarea />
      <Field id="reading" label={c.reading} value={values.reading} required={false} extra={{ maxlength: 500 }} />
      <div class="field">
        <label for="publication">{pm.publication}</label>
        <select id="publication" name="publication">
          <option value="published" selected={values.publication !== 'draft'}>{pm.published}</option>
          <option value="draft" selected={values.publication === 'draft'}>{pm.draft}</option>
        </select>
      </div>
      <Field id="publishAt" label={pm.publishAt} value={values.publishAt} required={false} extra={{ type: 'datetime-local' }} />
      <fieldset>
        <legend>{c.taxRate}</legend>
        <label><input type="radio" name="taxRate" value="10" checked={values.taxRate !== '8'} /> {c.standardRate}</label>
        <label><input type="radio" name="taxRate" value="8" checked={values.taxRate === '8'} /> {c.reducedRate}</label>
      </fieldset>
    </>
  );
}

function Errors({ error }: { error: string | undefined }) {
  return error ? <p class="error-summary" role="alert">{error}</p> : null;
}

export function NewProductPage({ ctx, categories, values, error }: { ctx: AdminViewContext; categories: Category[]; values: ProductFormValues; error?: string }) {
  const c = ctx.m.catalog;
  return (
    <section>
      <h1>{c.newProduct}</h1>
      <Errors error={error} />
      <form method="post" action="/admin/products">
        <CsrfField ctx={ctx} />
        <input type="hidden" name="status" value="active" />
        <ProductFields ctx={ctx} categories={categories} values={values} />
        <h2>{c.variants}</h2>
        <Field id="sku" label={c.sku} value={values.sku} extra={{ maxlength: 64 }} />
        <Field id="variantNameJa" label={c.variantNameJa} value={values.variantNameJa} />
        <Field id="variantNameEn" label={c.variantNameEn} value={values.variantNameEn} />
        <Field id="price" label={c.price} value={values.price} type="number" extra={{ min: 0, step: 1 }} />
        <Field id="stock" label={c.initialStock} value={values.stock ?? '0'} type="number" extra={{ min: 0, step: 1 }} />
        <button type="submit">{c.create}</button>
      </form>
    </section>
  );
}

export function EditProductPage({ ctx, categories, product, variants, adjustments, images, notice, error, timeZone }: {
  ctx: AdminViewContext; timeZone: string; categories: Category[]; product: Selectable<ProductTable>; variants: Selectable<VariantTable>[];
  images: { id: number; path: string; alt_ja: string; alt_en: string }[];
  adjustments: { id: number; sku: string; delta: number; stock_after: number; reason: string; created_at: string }[]; notice?: string; error?: string;
}) {
  const c = ctx.m.catalog;
  const values: ProductFormValues = {
    slug: product.slug, categoryId: String(product.category_id), nameJa: product.name_ja, nameEn: product.name_en,
    descriptionJa: product.description_ja, descriptionEn: product.description_en, reading: product.reading, taxRate: String(product.tax_rate), status: product.status,
    publication: product.publication, publishAt: product.publish_at ? instantToWallTime(new Date(product.publish_at), timeZone) : '',
  };
  return (
    <section>
      <h1>{localized(ctx.locale, product.name_ja, product.name_en)}</h1>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      <Errors error={error} />
      <p>{product.status === 'active' ? <><a href={`/products/${product.slug}`}>{c.viewInStore}</a> · </> : null}<a href={`/admin/products/${product.id}/preview`}>{productPublishingMessages(ctx.locale).preview}</a></p>
      <form method="post" action={`/admin/products/${product.id}`}>
        <CsrfField ctx={ctx} />
        <ProductFields ctx={ctx} categories={categories} values={values} />
        <div class="field">
          <label for="status">{c.status}</label>
          <select id="status" name="status">
            <option value="active" selected={product.status === 'active'}>{c.active}</option>
            <option value="archived" selected={product.status === 'archived'}>{c.archived}</option>
          </select>
        </div>
        <button type="submit">{c.save}</button>
      </form>

      <h2>{c.images}</h2>
      <ul class="product-grid">
        {images.map((im, i) => {
          const alt = localized(ctx.locale, im.alt_ja, im.alt_en);
          const pm = productPublishingMessages(ctx.locale);
          return (
            <li class="product-card">
              <img src={`/media/${im.path}`} alt={alt} width={160} height={160} />
              <form method="post" action={`/admin/products/${product.id}/images/${im.id}/move`} class="inline-form">
                <CsrfField ctx={ctx} />
                <button type="submit" name="direction" value="up" disabled={i === 0} aria-label={pm.imageUp(alt)}>{pm.up}</button>
                <button type="submit" name="direction" value="down" disabled={i === images.length - 1} aria-label={pm.imageDown(alt)}>{pm.down}</button>
              </form>
              <form method="post" action={`/admin/products/${product.id}/images/${im.id}/delete`} class="inline-form">
                <CsrfField ctx={ctx} />
                <button type="submit" aria-label={pm.imageDelete(alt)}>{pm.delete}</button>
              </form>
            </li>
          );
        })}
      </ul>
      <form method="post" action={`/admin/products/${product.id}/images`} enctype="multipart/form-data">
        <CsrfField ctx={ctx} />
        <fieldset>
          <legend>{c.addImage}</legend>
          <div class="field"><label for="image">{c.imageFile}</label><input id="image" name="image" type="file" accept="image/png,image/jpeg,image/webp" required /></div>
          <div class="field"><label for="altJa">{c.altJa}</label><input id="altJa" name="altJa" type="text" maxLength={300} required /></div>
          <div class="field"><label for="altEn">{c.altEn}</label><input id="altEn" name="altEn" type="text" maxLength={300} required /></div>
          <button type="submit">{c.upload}</button>
        </fieldset>
      </form>

      <h2>{c.variants}</h2>
      {variants.map((v) => (
        <div class="product-card">
          <form method="post" action={`/admin/variants/${v.id}`} class="inline-form">
            <CsrfField ctx={ctx} />
            <label for={`sku-${v.id}`}>{c.sku}</label>
            <input id={`sku-${v.id}`} name="sku" value={v.sku} required maxlength={64} />
            <label for={`vja-${v.id}`}>{c.variantNameJa}</label>
            <input id={`vja-${v.id}`} name="variantNameJa" value={v.name_ja} required />
            <label for={`ven-${v.id}`}>{c.variantNameEn}</label>
            <input id={`ven-${v.id}`} name="variantNameEn" value={v.name_en} required />
            <label for={`price-${v.id}`}>{c.price}</label>
            <input id={`price-${v.id}`} name="price" type="number" min={0} step={1} value={String(v.price)} required />
            <button type="submit">{c.save}</button>
          </form>
          <form method="post" action={`/admin/variants/${v.id}/stock`} class="inline-form">
            <CsrfField ctx={ctx} />
            <span>{c.stock}: <strong>{v.stock}</strong></span>
            <label for={`delta-${v.id}`}>{c.delta}</label>
            <input id={`delta-${v.id}`} name="delta" type="number" step={1} required />
            <label for={`reason-${v.id}`}>{c.reason}</label>
            <input id={`reason-${v.id}`} name="reason" required maxlength={200} />
            <button type="submit">{c.adjust}</button>
          </form>
        </div>
      ))}

      <h2>{c.addVariant}</h2>
      <form method="post" action={`/admin/products/${product.id}/variants`}>
        <CsrfField ctx={ctx} />
        <Field id="sku" label={c.sku} value="" extra={{ maxlength: 64 }} />
        <Field id="variantNameJa" label={c.variantNameJa} value="" />
        <Field id="variantNameEn" label={c.variantNameEn} value="" />
        <Field id="price" label={c.price} value="" type="number" extra={{ min: 0, step: 1 }} />
        <Field id="stock" label={c.initialStock} value="0" type="number" extra={{ min: 0, step: 1 }} />
        <button type="submit">{c.addVariant}</button>
      </form>

      {adjustments.length > 0 ? (
        <>
          <h2>{c.history}</h2>
          <table class="cart-table">
            <thead><tr><th scope="col">{c.when}</th><th scope="col">{c.sku}</th><th scope="col">{c.delta}</th><th scope="col">{c.stock}</th><th scope="col">{c.reason}</th></tr></thead>
            <tbody>
              {adjustments.map((a) => (
                <tr><td>{formatDateTime(a.created_at, ctx.locale, ctx.timeZone)}</td><td>{a.sku}</td><td>{a.delta > 0 ? `+${a.delta}` : a.delta}</td><td>{a.stock_after}</td><td>{a.reason}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
